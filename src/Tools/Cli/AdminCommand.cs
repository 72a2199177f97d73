using System.CommandLine;
using System.Security.Cryptography;
using System.Text;

namespace Analytics.Tools.Cli;

/// <summary><c>analytics admin hash-token</c>: the <c>TokenSha256</c> of an admin credential, from a token or a new one.</summary>
internal static class AdminCommand
{
    public static Command Create(CliContext context)
    {
        var hash = new Command("hash-token", $"""
            Prints the hex SHA-256 of the token in {CliContext.TokenVariable}, for
            <Service>:Admin:Credentials:<name>:TokenSha256. Without the variable, generates a new
            token (24 random bytes, hex) and prints it once with its hash.
            """);
        hash.SetAction(async (_, _) =>
        {
            var token = context.Environment(CliContext.TokenVariable);
            if (string.IsNullOrEmpty(token))
            {
                token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
                await context.Out.WriteLineAsync("token:       " + token);
            }

            await context.Out.WriteLineAsync("TokenSha256: " + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))));
            return ExitCodes.Ok;
        });
        return new Command("admin", "Admin credentials") { hash };
    }
}
