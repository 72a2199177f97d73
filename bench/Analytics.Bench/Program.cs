using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project bench/Analytics.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
