using System.IO.Pipelines;

namespace DeviceCommands.Emulator.Hosting;

/// <summary>
/// Streams a request's content into the body the pipeline reads, as a socket would: the pipeline reads as the
/// content writes. Once the pipeline is done the rest is refused; a content that throws fails the request.
/// </summary>
internal sealed class InMemoryBodyPump
{
    private readonly Pipe _pipe = new(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
    private readonly CancellationTokenSource _stop;
    private volatile bool _finished;
    private volatile Exception? _failure;
    private readonly long? _length;
    private long _written;

    /// <param name="content">The request's content.</param>
    /// <param name="length">Its <c>Content-Length</c>; null when it is sent chunked. Writing more or fewer bytes fails the request, as on a socket.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    public InMemoryBodyPump(HttpContent content, long? length, CancellationToken cancellationToken)
    {
        _length = length;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Reader = _pipe.Reader.AsStream();
        _ = CopyAsync(content);
    }

    public Stream Reader { get; }

    /// <summary>What the content threw while the pipeline could still read it; null when it did not.</summary>
    public Exception? Failure => _failure;

    /// <summary>The pipeline is done: the rest of the body is not read.</summary>
    public void Finish()
    {
        _finished = true;
        _pipe.Reader.Complete();
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the copy has ended
        }
    }

    private async Task CopyAsync(HttpContent content)
    {
        Exception? error = null;
        try
        {
            await content.CopyToAsync(new WriterStream(this), _stop.Token).ConfigureAwait(false);
            if (_length is { } length && _written < length)
            {
                // as SocketsHttpHandler refuses it
                throw new HttpRequestException($"Sent {_written} request content bytes, but Content-Length promised {length}.");
            }
        }
        catch (Exception exception)
        {
            if (!_finished)
            {
                _failure = exception;
                error = new IOException("The request's content failed while its body was sent.", exception);
            }
        }
        finally
        {
            await _pipe.Writer.CompleteAsync(error).ConfigureAwait(false);
            _stop.Dispose();
        }
    }

    /// <summary>The stream the content writes to.</summary>
    private sealed class WriterStream(InMemoryBodyPump pump) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (pump._finished)
            {
                throw new IOException("The emulator has answered; the rest of the request body is not read.");
            }

            pump._written += buffer.Length;
            if (pump._length is { } length && pump._written > length)
            {
                // as SocketsHttpHandler refuses it
                throw new HttpRequestException("Unable to write content to request stream; content would exceed Content-Length.");
            }

            FlushResult result = await pump._pipe.Writer.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.IsCompleted || pump._finished)
            {
                throw new IOException("The emulator has answered; the rest of the request body is not read.");
            }
        }
    }
}
