using System.Net;
using System.Text;
using DeviceCommands.Client.Requests;
using DeviceCommands.Client.Serialization;
using DeviceCommands.Client.Tests.Serialization;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Requests;

/// <summary>The per-request size limit: its validation, and its boundary (a body of exactly the limit is read).</summary>
public class ResponseSizeLimitOptionTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData((long)int.MaxValue + 1)]
    public void A_limit_outside_1_to_int_MaxValue_is_refused_when_set(long bytes)
    {
        var option = new ResponseSizeLimitOption();

        Assert.Throws<ArgumentOutOfRangeException>(() => option.MaxBytes = bytes);
        Assert.Equal(4 * 1024 * 1024, option.MaxBytes);
    }

    public static TheoryData<bool, int, bool> Boundaries()
    {
        var data = new TheoryData<bool, int, bool>();
        foreach (var declared in new[] { true, false })
        {
            // a limit that is a power of two (the pool's sizes), and one that is not
            foreach (var limit in new[] { 4096, 5000 })
            {
                data.Add(declared, limit, true);
                data.Add(declared, limit + 1, true);
                data.Add(declared, limit - 1, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Boundaries))]
    public async Task A_body_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(bool declareLength, int limit, bool reads)
    {
        // {"id":"xxx…"} of exactly `limit` bytes, read under a limit of `limit` (reads), or `limit - 1` (refused)
        var body = Encoding.UTF8.GetBytes("{\"id\":\"" + new string('x', limit - 9) + "\"}");
        var max = reads ? body.Length : body.Length - 1;
        var handler = new ScriptedHandler { Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new TrickleContent(body, declareLength) } };

        foreach (var (name, client) in TestClients.Both(handler))
        {
            var get = client.Me.Devices["d"].Commands["c"].GetAsync(c => c.Options.Add(new ResponseSizeLimitOption { MaxBytes = max }));

            if (reads)
            {
                var command = await get;
                Assert.True(command?.Id?.Length == limit - 9, $"{name}: read {command?.Id?.Length} characters");
            }
            else
            {
                var error = await Assert.ThrowsAsync<ApiException>(() => get);
                Assert.True(error.Message.Contains($"limit of {max} bytes", StringComparison.Ordinal), $"{name}: {error.Message}");
            }
        }
    }

    /// <summary>A body served in small reads, with or without a declared length.</summary>
    private sealed class TrickleContent(byte[] body, bool declareLength) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new Trickle(body));

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return declareLength;
        }

        private sealed class Trickle(byte[] body) : MemoryStream(body, writable: false)
        {
            public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1000));

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
                base.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], cancellationToken);
        }
    }
}
