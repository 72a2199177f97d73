using Analytics.Bench.Inspection;
using Analytics.Bench.Kafka;
using Analytics.Bench.Load;
using Analytics.Bench.Search;
using Analytics.Bench.Sidecar;
using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project bench/Analytics.Bench -- --filter '*'
// Kafka path (measured mode, mock cluster): dotnet run -c Release --project bench/Analytics.Bench -- kafka [events] [rounds]
// Mock broker for bench/kafka-interop.sh:  dotnet run -c Release --project bench/Analytics.Bench -- kafka-mock-broker [events] [seconds]
// Load targets for bench/load.sh:             dotnet run -c Release --project bench/Analytics.Bench -- load-targets [--inspection]
// Inspection by CPU time (shared machines):    dotnet run -c Release --project bench/Analytics.Bench -- inspection-cpu [case] [seconds]
// Catalog templating, hostile vs plain target: dotnet run -c Release --project bench/Analytics.Bench -- catalog-cpu
// Search over one million archived events:     dotnet run -c Release --project bench/Analytics.Bench -- search-1m [events] [rounds]
// Time to block, stealthy attackers (sim. time): dotnet run -c Release --project bench/Analytics.Bench -- time-to-block [seed] [N]
// Analyzer consuming from the mock cluster:      dotnet run -c Release --project bench/Analytics.Bench -- analyzer-kafka [events] [--no-model] [--users N] [--runs N] [--cluster-in-process]
// Time to block over Kafka (wall clock):       dotnet run -c Release --project bench/Analytics.Bench -- time-to-block-kafka [--attackers 50] [--stagger-ms 300] [--pace-ms 25] [--idle-seconds 0] [--Section:Key=value ...]
// Cost of each step of the request path:        dotnet run -c Release --project bench/Analytics.Bench -- request-path-steps [--filter '*Inspect*']
return args switch
{
    ["load-targets", .. var rest] => await LoadTargets.RunAsync(rest),
    ["inspection-cpu", .. var rest] => InspectionCpuTime.Run(rest),
    ["catalog-cpu"] => CatalogCpuTime.Run(),
    ["search-1m", .. var rest] => await SearchMillion.RunAsync(rest),
    ["kafka", .. var rest] => await KafkaThroughput.RunAsync(rest),
    ["time-to-block", .. var rest] => Analytics.Bench.Analyzer.TimeToBlock.Run(rest),
    ["time-to-block-kafka", .. var rest] => await Analytics.Bench.Analyzer.TimeToBlockKafka.RunAsync(rest),
    ["analyzer-kafka", .. var rest] => await Analytics.Bench.Analyzer.AnalyzerKafkaThroughput.RunAsync(rest),
    ["kafka-mock-broker", .. var rest] => await KafkaMockBroker.RunAsync(rest),
    ["request-path-steps", .. var rest] => RunRequestPathSteps(rest),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}

static int RunRequestPathSteps(string[] args)
{
    BenchmarkRunner.Run<RequestPathStepBenchmarks>(args: args);
    return 0;
}
