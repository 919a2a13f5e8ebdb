using System.Globalization;
using DeviceCommands.Client.Requests;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace DeviceCommands.Client.Transport;

/// <summary>The settings of <see cref="ResilienceHandler"/>, from the client's options.</summary>
internal sealed record ResilienceSettings(
    int MaxRetries,
    TimeSpan RetryDelay,
    TimeSpan MaxRetryAfter,
    TimeSpan AttemptTimeout,
    long MaxResponseBytes,
    TimeProvider Clock,
    Action<ResiliencePipelineBuilder<HttpResponseMessage>>? Configure);

/// <summary>
/// The client's one retry layer, on Polly v8: retry (outermost), then the user's own strategies, then the attempt
/// timeout. An attempt is the request and its whole answer: the body is read into memory (up to the size limit) inside
/// the attempt, so the attempt timeout bounds a body that trickles or stalls too. What is retried is
/// <see cref="Transient"/>'s rule: a GET on 408, 429, 500, 502, 503, 504, a network failure or an attempt timeout; any
/// other method (the POST that sends a command) only on 429, so a command is never sent twice. The delay is the
/// service's <c>Retry-After</c> when it gives one (longer than <see cref="ResilienceSettings.MaxRetryAfter"/> ends the
/// retries with the answer), else a jittered exponential backoff from <see cref="ResilienceSettings.RetryDelay"/>.
/// </summary>
internal sealed class ResilienceHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("DeviceCommands.Client.Request");

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ResilienceSettings _settings;

    public ResilienceHandler(ResilienceSettings settings, ILogger logger)
    {
        _settings = settings;
        _pipeline = Build(settings, logger);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    HttpResponseMessage? response = null;
                    try
                    {
                        response = await state.Handler.SendInnerAsync(state.Request, ctx.CancellationToken).ConfigureAwait(ctx.ContinueOnCapturedContext);
                        await state.Handler.BufferAsync(response, ctx.CancellationToken).ConfigureAwait(ctx.ContinueOnCapturedContext);
                        return Outcome.FromResult(response);
                    }
                    catch (Exception e)
                    {
                        response?.Dispose();
                        return Outcome.FromException<HttpResponseMessage>(e);
                    }
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);

            if (outcome.Exception is TimeoutRejectedException timeout && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The request did not complete within the attempt timeout of {_settings.AttemptTimeout}.", timeout);
            }

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    /// <summary>
    /// Reads the answer's body into memory within the attempt. A success's body over the limit is refused (HttpClient's
    /// own <see cref="HttpRequestError.ConfigurationLimitExceeded"/>); an error's is dropped, keeping the status.
    /// </summary>
    private async Task BufferAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await response.Content.LoadIntoBufferAsync(_settings.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            if (response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded, string.Create(CultureInfo.InvariantCulture,
                    $"{_settings.MaxResponseBytes} bytes, MaxResponseContentBytes"), e);
            }

            response.Content.Dispose();
            response.Content = new ByteArrayContent([]);
        }
    }

    private static ResiliencePipeline<HttpResponseMessage> Build(ResilienceSettings settings, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = settings.Clock, Name = ClientDiagnostics.Name };
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.MaxRetries,
                Delay = settings.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = TimeSpan.FromMinutes(1),
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, settings, logger)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response ? RetryAfter.From(response, settings.Clock) : null),
                OnRetry = args =>
                {
                    var request = args.Context.Properties.GetValue(RequestKey, null!);
                    ClientDiagnostics.Retrying(
                        logger,
                        request.Method.Method,
                        request.RequestUri?.AbsolutePath ?? "?",
                        args.AttemptNumber + 1,
                        (long)args.RetryDelay.TotalMilliseconds,
                        args.Outcome.Exception is { } e ? DiagnosticsHandler.Describe(e) : $"the service answered {(int)args.Outcome.Result!.StatusCode}");
                    return ValueTask.CompletedTask;
                },
            });
        }

        settings.Configure?.Invoke(builder);

        if (settings.AttemptTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(settings.AttemptTimeout);
        }

        return builder.Build();
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, ResilienceSettings settings, ILogger logger)
    {
        var request = context.Properties.GetValue(RequestKey, null!);
        if (outcome.Exception is { } exception)
        {
            // an attempt that timed out counts as the TimeoutException it becomes
            return !context.CancellationToken.IsCancellationRequested
                && Transient.MaySendAgain(request.Method, exception is TimeoutRejectedException ? new TimeoutException() : exception);
        }

        var response = outcome.Result!;
        if (!Transient.MaySendAgain(request.Method, (int)response.StatusCode))
        {
            return false;
        }

        if (RetryAfter.From(response, settings.Clock) is { } wait && wait > settings.MaxRetryAfter)
        {
            ClientDiagnostics.RetryAfterTooLong(logger, request.Method.Method, request.RequestUri?.AbsolutePath ?? "?",
                (long)wait.TotalMilliseconds, (long)settings.MaxRetryAfter.TotalMilliseconds);
            return false;
        }

        return true;
    }
}
