namespace DeviceCommands.Testing;

// The tracking of a handler's requests: each request is marked work until its answer, body included, is back on the
// driver's thread.
public sealed partial class VirtualClock
{
    /// <summary>
    /// A handler over <paramref name="handler"/> that marks each request it passes on as work under way (see
    /// <see cref="BeginWork"/>) until the answer is back, for a test double that answers on other threads (MockHttp's
    /// handler does): <see cref="RunAsync(Func{Task}, CancellationToken)"/> then never moves the clock while a request is
    /// being answered. An answer counts as back once its body is read into memory, so a body that arrives after the
    /// headers holds the clock too. A handler that waits on this clock itself must not be tracked.
    /// </summary>
    /// <param name="handler">The test double; it is not disposed with the returned handler.</param>
    /// <returns>The handler to give the client (<c>DeviceCommandsClientOptions.HttpMessageHandler</c>).</returns>
    public HttpMessageHandler Track(HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new TrackingHandler(this, handler);
    }

    /// <summary>
    /// Marks each request as work until its answer is back, and hands the answer to the clock's driver
    /// (<see cref="Deliver"/>): the code that awaits it then runs on the driver's thread, where the driver sees it.
    /// </summary>
    private sealed class TrackingHandler(VirtualClock clock, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var mark = clock.BeginWork();
            Task<HttpResponseMessage> sending;
            try
            {
                sending = AnswerAsync(request, cancellationToken);
            }
            catch
            {
                mark.Dispose();
                throw;
            }

            if (sending.IsCompleted)
            {
                mark.Dispose();
                return sending;
            }

            // no RunContinuationsAsynchronously: what awaits the answer runs where the driver completes it
            var answered = new TaskCompletionSource<HttpResponseMessage>();
            sending.ContinueWith(
                static (task, state) =>
                {
                    var (owner, work, done) = ((VirtualClock, IDisposable, TaskCompletionSource<HttpResponseMessage>))state!;
                    owner.Deliver(() =>
                    {
                        work.Dispose();
                        if (task.IsCanceled)
                        {
                            done.TrySetCanceled();
                        }
                        else if (task.IsFaulted)
                        {
                            done.TrySetException(task.Exception!.InnerExceptions);
                        }
                        else
                        {
                            done.TrySetResult(task.Result);
                        }
                    });
                },
                (clock, mark, answered),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return answered.Task;
        }

        /// <summary>
        /// The answer with its body read into memory: a body that arrives after the headers (a real socket) is part of
        /// the answer, so the clock does not move while it is still arriving.
        /// </summary>
        private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            try
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                response.Dispose();
                throw;
            }

            return response;
        }

        protected override void Dispose(bool disposing)
        {
            // the test double belongs to the test
        }
    }
}
