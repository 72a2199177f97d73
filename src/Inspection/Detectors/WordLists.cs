namespace Analytics.Inspection.Detectors;

/// <summary>
/// Word lists taken as data from the OWASP Core Rule Set (coreruleset/coreruleset, Apache-2.0,
/// files named per list), trimmed where a word is also ordinary English or API vocabulary.
/// </summary>
internal static class WordLists
{
    /// <summary>rules/scanners-user-agents.data (Apache-2.0): security scanners and attack tools by their User-Agent.</summary>
    public static readonly string[] ScannerUserAgents =
    [
        "arachni", "betabot", "bewica-security-scan", "bfac", "commix", "detectify", "dirbuster", "fimap", "fuzz faster",
        "whatwaf", "gobuster", "havij", "hexometer", "jbrofuzz", "jorgee", "libwhisker", "masscan", "morfeus", "mozlila",
        "mozilla/5.g", "nessus", "netlab360", "netsparker", "nettacker", "nikto", "nmap", "nuclei", "openvas", "securityagent",
        "sitelockspider", "sqlmap", "sysscan", "tsunamisecurityscanner", "w3af.org", "webbandit", "webshag", "wfuzz",
        "whatweb", "wprecon", "wpscan", "feroxbuster", "l9explore", "l9tcpid", "wapiti", "appspider", "ironwasp",
        "skipfish", "qualysguard", "n-stalker", "acunetix", "cmsmap", "sqlninja", "xsstrike", "xsser", "joomscan",
        "droopescan", "zgrab", "ghauri", "zmeu", "wpprobe", "sstimap", "(hydra)", "tplmap", "dotdotpwn", "shortscan",
        "kadimus", "lfisuite", "panoptic", "lfimap", "graphw00f", "graphql-cop", "jsql", "noseyparker", "trufflehog",
        "yeswehack-hunter", "tinja", "appscan", "burpcollaborator", "interact.sh", "oast.", "dnslog.cn", "zap/", "owasp zap",
        "metasploit", "morpheus fucking scanner", "brutus", "grabber", "paros", "webinspect", "grendel-scan", "pangolin",
        "vega/",
    ];

    /// <summary>
    /// rules/scanners-urls.data (Apache-2.0): files scanners request to fingerprint a server, none of
    /// which an application serves. Left out: "antidisestablishmentarianism" (an English word a
    /// dictionary API serves) and "/cybercop" (a name a site may use).
    /// </summary>
    public static readonly string[] ScannerUrls =
    [
        "/.adsensepostnottherenonobook", "/actsensepostnottherenonotive", "/acunetix-wvs-test-for-some-inexistent-file",
        "/appscan_fingerprint/mac_address", "/arachni-", "/nessus_is_probing_you_", "/nessustest", "/netsparker-", "/rfiinc.txt",
        "/thereisnowaythat-you-canbethere", "/w3af/remotefileinclude.html", "w00tw00t.at.isc.sans.dfind",
        "w00tw00t.at.blackhats.romanian.anti-sec",
    ];

    /// <summary>rules/java-classes.data (Apache-2.0): classes Java RCE payloads (Struts, WebLogic, OGNL) name.</summary>
    public static readonly string[] JavaDangerousClasses =
    [
        "com.opensymphony.xwork2", "com.sun.org.apache", "java.lang.runtime", "java.lang.processbuilder", "java.lang.process",
        "java.lang.reflect", "java.lang.system", "java.lang.class", "java.lang.classloader", "javax.script.scriptenginemanager",
        "java.beans.xmldecode", "org.apache.struts", "org.omg.corba", "java.io.objectoutputstream", "java.io.objectinputstream",
        "java.io.fileoutputstream", "java.io.filewriter", "java.io.pipedoutputstream", "java.net.urlclassloader",
        "java.net.socket", "javax.naming", "org.apache.commons.collections", "com.sun.rowset.jdbcrowsetimpl",
        "templatesimpl", "org.springframework.context.support", "bsh.interpreter", "groovy.lang", "ognl.ognlcontext",
        "sun.misc.unsafe", "jdk.jshell",
    ];

    /// <summary>rules/php-function-names-933150.data (Apache-2.0): PHP functions with a security impact, none an English word.</summary>
    public static readonly string[] PhpFunctions =
    [
        "array_diff_uassoc", "array_diff_ukey", "array_filter", "array_intersect_uassoc", "array_intersect_ukey", "array_map",
        "array_reduce", "array_udiff", "array_udiff_assoc", "array_udiff_uassoc", "array_uintersect", "array_uintersect_assoc",
        "array_uintersect_uassoc", "array_walk", "assert", "base64_decode", "bzdecompress", "bzopen", "call_user_func",
        "call_user_func_array", "convert_uuencode", "create_function", "curl_exec", "curl_init", "debug_backtrace", "error_reporting",
        "escapeshellarg", "escapeshellcmd", "exif_read_data", "file_exists", "file_get_contents", "file_put_contents", "fopen",
        "fsockopen", "ftp_connect", "ftp_get", "ftp_put", "fwrite", "fputs", "get_cfg_var", "get_current_user",
        "get_defined_constants", "get_defined_functions", "get_defined_vars", "getcwd", "getenv", "getmypid", "getmyuid",
        "gzdecode", "gzdeflate", "gzinflate", "gzuncompress", "header_register_callback", "hex2bin", "highlight_file",
        "ini_get", "ini_get_all", "ini_set", "iterator_apply", "mb_ereg_replace", "move_uploaded_file", "mysql_query",
        "ob_start", "parse_ini_file", "parse_str", "passthru", "pcntl_exec", "pfsockopen", "pg_query", "php_uname",
        "phpinfo", "phpversion", "popen", "posix_getpwuid", "posix_kill", "posix_mkfifo", "preg_replace", "preg_replace_callback",
        "print_r", "proc_open", "proc_terminate", "putenv", "readfile", "register_shutdown_function", "register_tick_function",
        "rename_function", "runkit_function_add", "session_set_save_handler", "set_error_handler", "set_exception_handler",
        "set_include_path", "shell_exec", "show_source", "simplexml_load_file", "simplexml_load_string", "socket_connect",
        "socket_create", "spl_autoload_register", "stream_context_create", "stream_socket_client", "str_rot13", "unserialize",
        "var_dump", "var_export", "zlib_decode", "include_once", "require_once", "system", "exec", "eval", "include", "require",
        "file", "chr", "ord", "gzcompress", "symlink", "unlink", "chmod", "mkdir", "rmdir", "copy", "scandir", "glob",
        "file_get_contents", "pack", "extract", "dl", "mail", "apache_setenv", "array_key_exists",
        "posix_getegid", "posix_geteuid", "posix_getgid", "posix_getuid", "posix_setuid", "posix_getpwnam", "posix_uname", "strrev",
    ];
}
