using Amazon.Runtime;

namespace KubeBackup.Core.Storage.S3;

/// <summary>
/// The HTTP stack under one S3 client: <see cref="ContentMd5Handler"/>, then an optional interceptor (tests record
/// requests with it), then a socket handler with a bounded connect time so an unreachable endpoint fails fast.
/// One HttpClient per store, made on first use and reused for every request (the SDK would otherwise ask for a
/// new one per request once a custom factory is set).
/// </summary>
internal sealed class S3HttpClientFactory(Func<DelegatingHandler>? interceptor) : HttpClientFactory, IDisposable
{
    private readonly object _lock = new();
    private HttpClient? _client;

    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        lock (_lock)
        {
            return _client ??= Build(clientConfig);
        }
    }

    private HttpClient Build(IClientConfig clientConfig)
    {
        HttpMessageHandler network = new SocketsHttpHandler
        {
            ConnectTimeout = clientConfig.ConnectTimeout ?? TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
        };
        if (interceptor is not null)
        {
            var recorder = interceptor();
            recorder.InnerHandler = network;
            network = recorder;
        }
        return new HttpClient(new ContentMd5Handler { InnerHandler = network })
        {
            Timeout = clientConfig.Timeout ?? TimeSpan.FromMinutes(5),
        };
    }

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string? GetConfigUniqueString(IClientConfig clientConfig) => null;

    public void Dispose()
    {
        lock (_lock)
        {
            _client?.Dispose();
            _client = null;
        }
    }
}
