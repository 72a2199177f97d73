using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Security", "SCS0005:Weak random number generator", Scope = "type", Target = "~T:Analytics.Search.Elasticsearch.ElasticsearchSink", Justification = "Retry jitter only spreads retries in time; it guards nothing.")]
