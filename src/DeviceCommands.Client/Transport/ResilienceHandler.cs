using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The client's one retry layer, on Polly v8: retry (outermost), then the user's own strategies, then a per-attempt
/// timeout. GETs are retried on 408, 429, 500, 502, 503, 504, network failures and attempt timeouts; any other
/// method (the <c>POST</c> that sends a command) only on 429, when the service did not accept it, so a command is
/// never sent twice. The delay is the service's <c>Retry-After</c> when it gives one (longer than
/// <see cref="DeviceCommandsClientOptions.MaxRetryAfter"/> ends the retries with the error), else a jittered
/// exponential backoff from <see cref="DeviceCommandsClientOptions.RetryDelay"/>.
/// </summary>
internal sealed class ResilienceHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("DeviceCommands.Client.Request");

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly TimeSpan _attemptTimeout;

    public ResilienceHandler(DeviceCommandsClientOptions options, ILogger logger)
    {
        _attemptTimeout = options.AttemptTimeout;
        _pipeline = Build(options, logger);
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
                    try
                    {
                        var response = await state.Handler.SendInnerAsync(state.Request, ctx.CancellationToken).ConfigureAwait(ctx.ContinueOnCapturedContext);
                        return Outcome.FromResult(response);
                    }
                    catch (Exception e)
                    {
                        return Outcome.FromException<HttpResponseMessage>(e);
                    }
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);

            if (outcome.Exception is TimeoutRejectedException timeout && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The request did not complete within the attempt timeout of {_attemptTimeout}.", timeout);
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

    private static ResiliencePipeline<HttpResponseMessage> Build(DeviceCommandsClientOptions options, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = options.TimeProvider, Name = ClientDiagnostics.Name };
        if (options.MaxRetries > 0)
        {
            var timeProvider = options.TimeProvider;
            var maxRetryAfter = options.MaxRetryAfter;
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = TimeSpan.FromMinutes(1),
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, timeProvider, maxRetryAfter, logger)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response ? RetryAfter.From(response, timeProvider) : null),
                OnRetry = args =>
                {
                    var request = args.Context.Properties.GetValue(RequestKey, null!);
                    ClientDiagnostics.Retrying(
                        logger,
                        request?.Method.Method ?? "?",
                        request?.RequestUri?.AbsolutePath ?? "?",
                        args.AttemptNumber + 1,
                        (long)args.RetryDelay.TotalMilliseconds,
                        args.Outcome.Exception is { } e ? DiagnosticsHandler.Describe(e) : $"the service answered {(int)args.Outcome.Result!.StatusCode}");
                    return ValueTask.CompletedTask;
                },
            });
        }

        options.ConfigureResilience?.Invoke(builder);

        if (options.AttemptTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(options.AttemptTimeout);
        }

        return builder.Build();
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeProvider timeProvider, TimeSpan maxRetryAfter, ILogger logger)
    {
        var request = context.Properties.GetValue(RequestKey, null!);
        var idempotent = request is null || request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;
        if (outcome.Exception is { } exception)
        {
            if (context.CancellationToken.IsCancellationRequested)
            {
                return false;
            }

            // the network failed or the attempt timed out: the request may have reached the service, so only a GET is sent again
            return idempotent && exception is HttpRequestException or TimeoutRejectedException or TimeoutException or IOException;
        }

        var response = outcome.Result!;
        var status = response.StatusCode;
        var transient = status == HttpStatusCode.TooManyRequests
            || (idempotent && status is HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
                or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout);
        if (!transient)
        {
            return false;
        }

        if (RetryAfter.From(response, timeProvider) is { } wait && wait > maxRetryAfter)
        {
            ClientDiagnostics.RetryAfterTooLong(logger, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?",
                (long)wait.TotalMilliseconds, (long)maxRetryAfter.TotalMilliseconds);
            return false;
        }

        return true;
    }
}
