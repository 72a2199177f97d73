using Analytics.Search.Ecs;
using Analytics.Search.Indexing;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using Microsoft.Extensions.Logging;

namespace Analytics.Search.Elasticsearch;

/// <summary>
/// Bulk-indexes documents into the data streams. Before the first document it applies the
/// templates and ILM policy. A whole request that fails, or items answered 429 or 5xx, are
/// retried with capped, jittered back-off (only those items); items rejected for good go to the
/// dead-letter file; a 409 means the document is already there (a redelivery) and counts as stored.
/// </summary>
public sealed class ElasticsearchSink(
    ElasticsearchClient client,
    ElasticsearchOptions options,
    string @namespace,
    DeadLetterFile deadLetters,
    ILogger logger,
    TimeProvider time) : IDocumentSink
{
    private readonly SemaphoreSlim _setupLock = new(1, 1);
    private volatile bool _setUp = !options.ApplyTemplates;

    /// <summary>Documents acknowledged by the cluster since start.</summary>
    public long Indexed => Interlocked.Read(ref _indexed);

    /// <summary>Item-level retries since start (429 and 5xx items).</summary>
    public long RetriedItems => Interlocked.Read(ref _retried);

    private long _indexed;
    private long _retried;

    public async Task WriteAsync(IReadOnlyList<EcsDocument> documents, CancellationToken cancellationToken)
    {
        await EnsureSetUpAsync(cancellationToken);
        IReadOnlyList<EcsDocument> pending = documents;
        var attempt = 0;
        while (pending.Count > 0)
        {
            if (attempt > 0)
            {
                await Task.Delay(Backoff(attempt), time, cancellationToken);
            }

            attempt++;
            pending = await SendAsync(pending, cancellationToken);
        }
    }

    /// <summary>Sends one bulk request; returns the documents to send again.</summary>
    private async Task<IReadOnlyList<EcsDocument>> SendAsync(IReadOnlyList<EcsDocument> documents, CancellationToken cancellationToken)
    {
        var operations = new BulkOperationsCollection();
        foreach (var d in documents)
        {
            operations.Add(new BulkCreateOperation<RawSource>(new RawSource(d.Source))
            {
                Index = d.Stream.DataStream(@namespace),
                Id = d.Id,
            });
        }

        BulkResponse response;
        try
        {
            response = await client.BulkAsync(new BulkRequest { Operations = operations }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SearchLog.BulkFailed(logger, documents.Count, ex.Message);
            return documents;
        }

        var status = response.ApiCallDetails.HttpStatusCode;
        if (status is null or 429 or >= 500 || response.Items.Count != documents.Count)
        {
            SearchLog.BulkFailed(logger, documents.Count, $"status {status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: {response.ApiCallDetails.OriginalException?.Message}");
            return documents;
        }

        if (status is not (>= 200 and < 300))
        {
            // The whole request was refused (e.g. 400 or 401): nothing was stored; the cause is not
            // per document, so keep the batch and retry rather than dead-letter it.
            SearchLog.BulkFailed(logger, documents.Count, $"status {status}: {ElasticsearchSetup.Summarise(response.ApiCallDetails.ResponseBodyInBytes is { } b ? System.Text.Encoding.UTF8.GetString(b) : null)}");
            return documents;
        }

        var items = response.Items.ToList();
        List<EcsDocument>? retry = null;
        for (var i = 0; i < documents.Count; i++)
        {
            var item = items[i];
            if (item.Status is >= 200 and < 300 or 409)
            {
                Interlocked.Increment(ref _indexed);
            }
            else if (item.Status is 429 or >= 500)
            {
                (retry ??= []).Add(documents[i]);
                Interlocked.Increment(ref _retried);
            }
            else
            {
                deadLetters.Write(documents[i], documents[i].Stream.DataStream(@namespace), item.Status, item.Error?.Type, item.Error?.Reason);
                SearchLog.DeadLettered(logger, documents[i].Stream.Name, item.Status, item.Error?.Type ?? "");
            }
        }

        return (IReadOnlyList<EcsDocument>?)retry ?? [];
    }

    private async Task EnsureSetUpAsync(CancellationToken cancellationToken)
    {
        if (_setUp)
        {
            return;
        }

        await _setupLock.WaitAsync(cancellationToken);
        try
        {
            var attempt = 0;
            while (!_setUp)
            {
                try
                {
                    await ElasticsearchSetup.ApplyAsync(client, options.RetentionDays, cancellationToken);
                    _setUp = true;
                    SearchLog.TemplatesApplied(logger);
                }
                catch (Exception ex) when (ex is ElasticsearchUnavailableException or HttpRequestException or Elastic.Transport.TransportException)
                {
                    SearchLog.SetupFailed(logger, ex.Message);
                    await Task.Delay(Backoff(++attempt), time, cancellationToken);
                }
            }
        }
        finally
        {
            _setupLock.Release();
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var max = options.MaxBackoff.TotalMilliseconds;
        var ms = Math.Min(max, options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20)));
        // Full jitter on the upper half, so instances that failed together do not retry together.
        return TimeSpan.FromMilliseconds(ms / 2 + Random.Shared.NextDouble() * ms / 2);
    }
}
