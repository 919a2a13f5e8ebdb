using DeviceCommands.Client.Diagnostics;
using Polly;
using Polly.Timeout;

namespace DeviceCommands.Client.Transport;

/// <summary>
/// The user's Polly strategies (<see cref="DeviceCommandsClientOptions.ConfigureResilience"/>) around each attempt of
/// <see cref="ResilienceHandler"/>. Every use of a Polly type is here, and <see cref="ResilienceHandler"/>'s own methods
/// name none, so a client without strategies never loads Polly.Core (its first request starts sooner).
/// </summary>
internal sealed class UserStrategies
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    private UserStrategies(ResiliencePipeline<HttpResponseMessage> pipeline) => _pipeline = pipeline;

    /// <summary>The strategies that <paramref name="settings"/> configure; null when there are none (nothing of Polly's is touched then).</summary>
    public static UserStrategies? For(ResilienceSettings settings) => settings.Configure is null ? null : Build(settings);

    /// <summary>
    /// The exception that names a failed attempt in the retry metric: a Polly timeout's rejection when a timeout
    /// strategy ended the attempt (see <see cref="AttemptAsync"/>), else the exception itself.
    /// </summary>
    public static Exception Reason(Exception e) => e.InnerException is TimeoutRejectedException rejected ? rejected : e;

    /// <summary>One attempt (<see cref="ResilienceHandler.TimedAttemptAsync"/>) inside the strategies; a timeout of theirs counts as an attempt timeout.</summary>
    public async ValueTask<HttpResponseMessage> AttemptAsync(ResilienceHandler handler, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.Handler.TimedAttemptAsync(state.Request, ctx.CancellationToken).ConfigureAwait(ctx.ContinueOnCapturedContext));
                    }
                    catch (Exception e)
                    {
                        return Outcome.FromException<HttpResponseMessage>(e);
                    }
                },
                context,
                (Handler: handler, Request: request)).ConfigureAwait(false);
            if (outcome.Exception is TimeoutRejectedException rejected && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException("A timeout strategy of ConfigureResilience ended the attempt.", rejected);
            }

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static UserStrategies Build(ResilienceSettings settings)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = settings.Clock, Name = ClientDiagnostics.Name };
        ((Action<ResiliencePipelineBuilder<HttpResponseMessage>>)settings.Configure!)(builder);
        return new UserStrategies(builder.Build());
    }
}
