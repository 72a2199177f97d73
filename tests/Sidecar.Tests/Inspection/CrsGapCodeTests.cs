using Analytics.Inspection;
using Microsoft.AspNetCore.Http;

namespace Analytics.Sidecar.Tests.Inspection;

/// <summary>
/// Issue 13's eighth pass, code families the CRS regression tests showed missing: PHP calls whose callee is
/// computed (variable functions, bracketed or assembled names, template tags), Java's exec classes by
/// qualified name and Commons Collections gadgets, cmd.exe FOR loops, Node.js globals and JSFuck, and upload
/// file names in X-File-Name-style headers. Each attack in several places, with the look-alikes real APIs carry.
/// </summary>
public sealed class CrsGapCodeTests
{
    public static TheoryData<string, string> Attacks => new()
    {
        // PHP variable functions: a name, '$$', '${…}' or an indexed variable, with comments and breaks before the call.
        { "$f('id')", "php-variable-function" },
        { "$$handler(7)", "php-variable-function" },
        { "@$m[2]{1}('whoami')", "php-variable-function" },
        { "$_x['k'] /* note */ ('uname -a')", "php-variable-function" },
        { "$run\r\n ('id')", "php-variable-function" },
        { "$cb_2 ('ls')", "php-variable-function" },
        { "${'a'}('id');", "php-variable-function" },
        { "$q=@$w_fn(3)", "php-variable-function" },
        { "$k # x\n['z'](1)", "php-variable-function" },
        // Bracketed, quoted or assembled callees.
        { "(exec)('id');", "php-computed-call" },
        { "(\"passthru\")(\"id\")", "php-computed-call" },
        { "['shell_exec'][0]('id');", "php-computed-call" },
        { "(sh.(ell_).exec)('id');", "php-computed-call" },
        { "(string)'popen'('id','r');", "php-computed-call" },
        { "(/**/system/**/)(id)", "php-computed-call" },
        { "[ system ] [ 1 ] ( id );", "php-computed-call" },
        { "($g)('id');", "php-computed-call" },
        { "$g = 'pass'.'thru';", "php-computed-call" },
        { "define('K', \"sys\" . \"tem\");", "php-computed-call" },
        { "chr(105).chr(100)", "php-computed-call" },
        // Template tags that run PHP (Smarty, BBCode-style).
        { "{php}echo 1;{/php}", "php-open-tag" },
        { "{PHP}print 2", "php-open-tag" },
        { "print 3[/php]", "php-open-tag" },
        // Java: exec classes by qualified name, Commons Collections gadgets.
        { "java.Runtime", "java-class" },
        { "javax.ProcessBuilder", "java-class" },
        { "x=java.util.ProcessBuilder", "java-class" },
        { "functors.InvokerTransformer", "java-class" },
        { "new ChainedTransformer(t)", "java-class" },
        { "Runtime.evil.ConstantTransformer", "java-class" },
        // cmd.exe FOR loops.
        { "for /f \"tokens=*\" %i in ('whoami') do curl x", "cmdi-windows-for-loop" },
        { "FOR %%G IN (a b) DO echo %%G", "cmdi-windows-for-loop" },
        { "for /l %n in (1,1,9) do ping 127.0.0.1", "cmdi-windows-for-loop" },
        { "& for /d %d in (C:\\*) do dir %d", "cmdi-windows-for-loop" },
        { "for  /r  c:\\  %z  in  (*.ini)do type %z", "cmdi-windows-for-loop" },
        // Node.js and JSFuck.
        { "process['mainModule']", "generic-nodejs" },
        { "require[x](y)", "generic-nodejs" },
        { "__js_function", "generic-nodejs" },
        { "eF8kJE5EX0ZVTkMkJF9mdW5jdGlvbigpe30=", "generic-nodejs" },
        { "eyJyY2UiOiJfJCRORF9GVU5DJCRfZnVuY3Rpb24oKXt9KCkifQ==", "generic-nodejs" },
        { "(!![]+[])[+[]]", "generic-jsfuck" },
        { "!+[]+!![]", "generic-jsfuck" },
        { "(! [] []) [ ! []]", "generic-jsfuck" },
        { "console['log'](document)", "generic-nodejs" },
        // A browser global's member behind comments, parentheses or escapes.
        { "window /* a */ . location", "xss-js-obfuscated-access" },
        { "document/**/./**/domain", "xss-js-obfuscated-access" },
        { "top[/*x*/'open'](u)", "xss-js-obfuscated-access" },
        { "(window)['name']", "xss-js-obfuscated-access" },
        { "( parent /*y*/ )[\"print\"]", "xss-js-obfuscated-access" },
        { "self['\\x6fpen']", "xss-js-obfuscated-access" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Attack_is_found_as_a_query_value(string payload, string rule)
    {
        var verdict = Inspect.Param(payload);
        Assert.True(verdict.Rules.Contains(rule) && verdict.Blocks(), $"{payload}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Attack_is_found_in_every_place(string payload, string rule)
    {
        Inspect.AssertBlockedIn(payload, rule, "header", "cookie-value", "json-key", "json-value", "form-value", "xml-text");
    }

    [Theory]
    // Dollars of jQuery, Vue members, TeX, prices, shell variables, template placeholders and spreadsheets.
    [InlineData("$(document).ready(init)")]
    [InlineData("this.$emit('saved', item)")]
    [InlineData("Let $g(t) = 2t$ for every t")]
    [InlineData("If $f(x)$ is convex, then so is $f(2x)$.")]
    [InlineData("The fee is $20 (plus tax)")]
    [InlineData("Set $HOME (your home directory) first")]
    [InlineData("Dear ${firstName} (${email}), your order shipped")]
    [InlineData("Total in $USD (approx.)")]
    [InlineData("=SUM($B$2:$B$9)")]
    [InlineData("my $PATH (see the docs)")]
    // Parentheses and brackets of legal text, lists and markdown links.
    [InlineData("See section 5(a)(1); it applies to all members.")]
    [InlineData("Results (filtered)(sorted)")]
    [InlineData("Read the [system](https://example.com/docs/system) page")]
    [InlineData("Jump to [exec](#exec) below")]
    [InlineData("Docs: [passthru](./docs/passthru.md)")]
    [InlineData("the 'en'.'us' locale and 'a'.'b'")]
    [InlineData("chr(65) is the letter A")]
    [InlineData("{photo} and {phone} placeholders")]
    [InlineData("[phpBB forum] thread")]
    // Java prose and JVM property names.
    [InlineData("Install the Java Runtime Environment 17")]
    [InlineData("java.runtime.version=17.0.2")]
    [InlineData("java.runtime.name")]
    [InlineData("javax.xml.transform.TransformerFactory")]
    [InlineData("Our transformer model (clone) runs nightly")]
    // Loops of other languages and percentages.
    [InlineData("for i in (1 2 3); do echo $i; done")]
    [InlineData("Discount for 10% in (EU) stores, do check")]
    [InlineData("printf help for %d in (C) docs")]
    [InlineData("Looking for 20% in (Q3)")]
    // Node.js words in prose, and markdown images.
    [InlineData("The process [step 3] is manual")]
    [InlineData("Our hiring process: [1] apply")]
    [InlineData("![](https://example.com/logo.png)")]
    [InlineData("![logo](logo.png) and [] + notes")]
    [InlineData("Done! [] is an empty list")]
    [InlineData("[] + [] in JavaScript is an empty string")]
    [InlineData("Set process.env.PORT to 8080")]
    [InlineData("module.exports = { port: 8080 }")]
    // Globals in prose and ordinary script.
    [InlineData("I like it (this). Then we go")]
    [InlineData("Attach the document (signed). Thanks")]
    [InlineData("window.location.href = '/home'")]
    [InlineData("See the top [1] and parent ['a'] lists")]
    [InlineData("const w = window['innerWidth'] /* px */")]
    public void Lookalike_is_allowed(string value)
    {
        var verdict = Inspect.Param(value);
        Assert.False(verdict.Blocks(), $"{value}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
        var json = Inspect.Json("{\"note\":" + System.Text.Json.JsonSerializer.Serialize(value) + "}");
        Assert.False(json.Blocks(), $"json {value}: {json.Score} ({string.Join(", ", json.Rules)})");
    }

    [Theory]
    [InlineData("X-File-Name", "shell.php")]
    [InlineData("X_Filename", "up.phtml")]
    [InlineData("X.Filename", "a.phar")]
    [InlineData("X-Filename", "b.php7...")]
    [InlineData("X-Upload-Filename", "c.php.jpg")]
    [InlineData("x-file-name", "dir/d.phps")]
    public void Upload_header_with_a_script_name_is_found(string header, string fileName)
    {
        var verdict = Inspect.Headers(new HeaderDictionary { [header] = fileName });
        Assert.True(verdict.Rules.Contains("multipart-script-upload") && verdict.Blocks(), $"{header}: {fileName}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    [Theory]
    [InlineData("X-File-Name", "report.pdf")]
    [InlineData("X-Filename", "photo.jpeg")]
    [InlineData("X_Filename", "php-guide.txt")]
    [InlineData("X-File-Name", "phpunit.xml")]
    [InlineData("X-Note", "see index.php for the old page")]
    [InlineData("X-Request-Name", "upload.php")]
    public void Upload_header_lookalike_is_allowed(string header, string value)
    {
        var verdict = Inspect.Headers(new HeaderDictionary { [header] = value });
        Assert.False(verdict.Blocks(), $"{header}: {value}: {verdict.Score} ({string.Join(", ", verdict.Rules)})");
    }

    [Fact]
    public void Node_globals_count_from_paranoia_level_two()
    {
        var input = new InspectionInput("GET", "/search", "q=" + Uri.EscapeDataString("process.env"), new HeaderDictionary(), ReadOnlyMemory<byte>.Empty, null, false);
        Assert.DoesNotContain("generic-nodejs-globals", Inspect.Run(input).Rules);
        var findings = new FindingSet();
        findings.Reset(null, 2);
        var engine = new InspectionEngine(new InspectionOptions { ModelPath = null }, model: null);
        Assert.Contains("generic-nodejs-globals", engine.Inspect(input, findings, useModel: false).Rules);
    }
}
