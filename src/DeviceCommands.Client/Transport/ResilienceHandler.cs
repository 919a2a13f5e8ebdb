using System.Globalization;
using DeviceCommands.Client.Diagnostics;
using DeviceCommands.Client.Http;
using DeviceCommands.Client.Timing;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The client's one retry layer: each attempt (the request and its whole body, under the attempt timeout, inside the
/// user's Polly strategies), then whether to send again (<see cref="RetryRule"/>: a command's POST only after a 429)
/// and after what delay (<c>Retry-After</c>, else <see cref="Timing.Backoff.Retry"/>). The rules, and why the loop is
/// not Polly's: docs/transport.md ("Retries").
/// </summary>
internal sealed class ResilienceHandler : DelegatingHandler
{
    private readonly ResilienceSettings _settings;
    private readonly ILogger _logger;
    private readonly BudgetSources _budgets;
    private readonly UserStrategies? _userStrategies;

    public ResilienceHandler(ResilienceSettings settings, ILogger logger)
    {
        _settings = settings;
        _logger = logger;
        _budgets = new BudgetSources(settings.Clock);
        _userStrategies = UserStrategies.For(settings);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var rule = RetryRule.For(request, _settings);
        var slept = TimeSpan.Zero;
        for (var retry = 1; ; retry++)
        {
            TimeSpan delay;
            HttpResponseMessage response;
            try
            {
                response = await AttemptAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (retry <= rule.MaxRetries && !cancellationToken.IsCancellationRequested && Transient.MaySendAgain(request.Method, e)
                && rule.AllowsDelay(slept, delay = Backoff(retry, rule)))
            {
                ClientMetrics.RecordRetry(request.Method, UserStrategies.Reason(e).GetType().Name);
                if (_logger.IsEnabled(LogLevel.Information))
                {
                    Log.Retrying(_logger, request.Method.Method, PathOf(request), retry, (long)delay.TotalMilliseconds, DiagnosticsHandler.Describe(e));
                }

                slept += delay;
                await LongTimer.DelayAsync(_settings.Clock, delay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var status = (int)response.StatusCode;
            if (retry > rule.MaxRetries || !rule.MaySendAgain(request.Method, response, retry - 1))
            {
                return response;
            }

            if (RetryHint.From(response, _settings.Clock.GetUtcNow()) is { } hint)
            {
                if (hint > _settings.MaxRetryAfter)
                {
                    if (_logger.IsEnabled(LogLevel.Warning))
                    {
                        Log.RetryAfterTooLong(_logger, request.Method.Method, PathOf(request), (long)hint.TotalMilliseconds, (long)_settings.MaxRetryAfter.TotalMilliseconds);
                    }

                    return response;
                }

                delay = hint;
            }
            else
            {
                delay = Backoff(retry, rule);
            }

            if (!rule.AllowsDelay(slept, delay))
            {
                return response;
            }

            response.Dispose();
            ClientMetrics.RecordRetry(request.Method, status.ToString(CultureInfo.InvariantCulture));
            if (_logger.IsEnabled(LogLevel.Information))
            {
                Log.Retrying(_logger, request.Method.Method, PathOf(request), retry, (long)delay.TotalMilliseconds, string.Create(CultureInfo.InvariantCulture, $"the service answered {status}"));
            }

            slept += delay;
            await LongTimer.DelayAsync(_settings.Clock, delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One attempt, through the user's strategies when there are some (<see cref="UserStrategies"/>).
    /// A <see cref="ValueTask{TResult}"/>: an attempt that completes at once (a buffered answer) allocates no task.
    /// </summary>
    private ValueTask<HttpResponseMessage> AttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _userStrategies is null ? TimedAttemptAsync(request, cancellationToken) : _userStrategies.AttemptAsync(this, request, cancellationToken);

    /// <summary>Sends the request and reads its whole answer under the attempt timeout.</summary>
    internal async ValueTask<HttpResponseMessage> TimedAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var budget = TimeBudget.For(_settings.AttemptTimeout, _budgets, cancellationToken);
        HttpResponseMessage? response = null;
        try
        {
            AttemptProbe.Sending();
            response = await base.SendAsync(request, budget.Token).ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                AttemptProbe.Refused(); // the service did not take this attempt (docs/transport.md, "Retries")
            }

            await BufferAsync(response, copyHeaders: request is not ClientRequestMessage, budget.Token).ConfigureAwait(false);
            return response;
        }
        catch (Exception e) when (budget.IsSpent && e is OperationCanceledException or HttpRequestException or IOException)
        {
            response?.Dispose();
            throw new TimeoutException($"The request did not complete within the attempt timeout of {_settings.AttemptTimeout}.", e);
        }
        catch
        {
            response?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the answer's body within the attempt, once, into a pooled buffer that the reader parses in place
    /// (<see cref="PooledContent"/>); this is the one check of the client's limit. A success's body over the limit is
    /// refused (<see cref="HttpRequestError.ConfigurationLimitExceeded"/>); an error's is dropped, keeping the status.
    /// </summary>
    /// <remarks>
    /// The content headers move to the new content when the client's own reader asks for them (<paramref name="copyHeaders"/>
    /// false: a message of the client's adapter, see <see cref="PooledContent.ShowHeaders"/>); at once for any other
    /// message, as a named HttpClient used directly hands its answer to code that knows nothing of that.
    /// </remarks>
    private async Task BufferAsync(HttpResponseMessage response, bool copyHeaders, CancellationToken cancellationToken)
    {
        var original = response.Content;
        PooledBody body;
        try
        {
            body = await BodyReader.ReadAsync(original, _settings.MaxResponseBytes, truncate: false, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            if (response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded, string.Create(CultureInfo.InvariantCulture,
                    $"{_settings.MaxResponseBytes} bytes, MaxResponseContentBytes"), e);
            }

            original.Dispose();
            response.Content = new ByteArrayContent([]);
            return;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // as HttpContent.LoadIntoBufferAsync words a body that broke off
            throw new HttpRequestException("Error while copying content to a stream.", e);
        }

        response.Content = new PooledContent(body, original, copyHeaders);
        original.Dispose();
    }

    /// <summary>The delay before retry <paramref name="retry"/> when the service gives no <c>Retry-After</c>.</summary>
    private TimeSpan Backoff(int retry, RetryRule rule) => Timing.Backoff.Retry(retry, rule.BaseDelay, _settings.JitterSeed);

    private static string PathOf(HttpRequestMessage request) => request.RequestUri?.AbsolutePath ?? "?";
}
