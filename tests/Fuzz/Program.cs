using Analytics.Fuzz;
using SharpFuzz;

// Usage:
//   dotnet Analytics.Fuzz.dll <target>                      under afl-fuzz (bench/fuzz.sh): the SharpFuzz fork server
//   dotnet Analytics.Fuzz.dll <target> --replay <path>...   runs files or folders once each (triage, corpus checks)
//   dotnet Analytics.Fuzz.dll --list
if (args.Length == 0 || args[0] == "--list")
{
    foreach (var t in FuzzTargets.All)
    {
        Console.WriteLine(t.Name);
    }

    return args.Length == 0 ? 2 : 0;
}

var target = FuzzTargets.Find(args[0]);
if (target is null)
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; --list names them");
    return 2;
}

if (args.Length > 1 && args[1] == "--replay")
{
    return Replay.Run(target, args.Skip(2));
}

// Out of process: a stack overflow or a hang kills only the child, which the server restarts,
// so AFL records the input instead of losing the fork server.
Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    target.Run(memory.GetBuffer().AsSpan(0, (int)memory.Length));
});
return 0;
