using DeviceCommands.Client.Tests.TestSupport;
using System.Diagnostics;
using System.Net;
using System.Text;
using CsCheck;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Requests;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Serialization;

/// <summary>Mangled and huge bodies: every read returns or throws <see cref="ApiException"/>, in bounded time and memory.</summary>
[Collection(AllocationMeasured.Name)]
public class MangledBodyTests
{
    private const string Seed = "7kN2pQx0aRb3";

    private static readonly byte[] Good = Encoding.UTF8.GetBytes(
        "{\"id\":\"c1\",\"status\":\"executing\",\"type\":\"AppService\",\"appServiceName\":\"svc\",\"postbackURI\":\"null\"," +
        "\"responsepayload\":{\"Type\":\"Ok\",\"CreationDate\":\"04/27/2017\",\"MsIgnoredParameter\":\"3\"},\"payload\":{\"a\":[1,2.5,\"é\",null,{\"b\":true}]}}");

    /// <summary>Truncated, with bytes overwritten, with bytes inserted (noise, including invalid UTF-8), or all of these.</summary>
    private static readonly Gen<byte[]> Mangled = Gen.Frequency(
        (2, Gen.Int[0, Good.Length - 1].Select(n => Good[..n])),
        (2, Gen.Select(Gen.Int[0, Good.Length - 1], Gen.Byte).Array[1, 8].Select(edits =>
        {
            var copy = (byte[])Good.Clone();
            foreach (var (at, b) in edits)
            {
                copy[at] = b;
            }

            return copy;
        })),
        (2, Gen.Select(Gen.Int[0, Good.Length], Gen.Byte.Array[1, 16]).Select((at, noise) => (byte[])[.. Good[..at], .. noise, .. Good[at..]])),
        (1, Gen.Byte.Array[0, 256]));

    [Fact]
    public async Task Mangled_bodies_read_or_throw_ApiException_in_bounded_time()
    {
        var handler = new ScriptedHandler();
        var clients = TestClients.Both(handler);
        var (read, refused, slowest) = (0, 0, TimeSpan.Zero);

        await Mangled.SampleDeterministicAsync(
            async body =>
            {
                handler.Respond = _ => ScriptedHandler.Json(HttpStatusCode.OK, body);
                foreach (var (_, client) in clients)
                {
                    var watch = Stopwatch.StartNew();
                    try
                    {
                        await client.Me.Devices["d"].Commands["c"].GetAsync();
                        read++;
                    }
                    catch (ApiException e)
                    {
                        Assert.Equal(200, e.ResponseStatusCode);
                        refused++;
                    }

                    slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
                }
            },
            seed: Seed,
            iter: 500,
            threads: 1);

        Assert.Equal(1000, read + refused);
        Assert.True(refused > 0 && read > 0, $"{read} read, {refused} refused");
        Assert.True(slowest < TimeSpan.FromSeconds(5), $"the slowest read took {slowest}");
    }

    public static TheoryData<string, string> DeepBodies()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, open, close) in new[] { ("arrays", "[", "]"), ("objects", "{\"a\":", "}") })
        {
            var deep = string.Concat(Enumerable.Repeat(open, 10_000)) + "1" + string.Concat(Enumerable.Repeat(close, 10_000));
            data.Add($"{name} in payload", "{\"id\":\"c1\",\"payload\":" + deep + "}");
            data.Add($"{name} in an unknown property", "{\"id\":\"c1\",\"x\":" + deep + "}");
            data.Add($"{name} in status", "{\"id\":\"c1\",\"status\":" + deep + "}");
            data.Add($"{name} unclosed", "{\"id\":\"c1\",\"payload\":" + string.Concat(Enumerable.Repeat(open, 10_000)));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DeepBodies))]
    public async Task Nesting_10000_deep_throws_ApiException_at_once(string what, string body)
    {
        var handler = new ScriptedHandler { Respond = _ => ScriptedHandler.Json(HttpStatusCode.OK, Encoding.UTF8.GetBytes(body)) };

        foreach (var (name, client) in TestClients.Both(handler))
        {
            var watch = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<ApiException>(() => client.Me.Devices["d"].Commands["c"].GetAsync());
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{what} via {name}: {watch.Elapsed}");
            Assert.NotNull(error.InnerException);
        }
    }

    /// <summary>An endless body (a valid JSON prefix, then spaces forever), that counts what was pulled from it.</summary>
    private sealed class EndlessContent(bool declareLength) : HttpContent
    {
        public long Pulled;

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new Endless(this));

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            CreateContentReadStreamAsync().Result.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 1L << 40;
            return declareLength;
        }

        private sealed class Endless(EndlessContent owner) : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => owner.Pulled; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override int Read(byte[] buffer, int offset, int count)
            {
                var span = buffer.AsSpan(offset, count);
                if (owner.Pulled == 0 && count > 8)
                {
                    "{\"id\":\""u8.CopyTo(span);
                }
                else
                {
                    span.Fill((byte)'x');
                }

                owner.Pulled += count;
                return count;
            }
        }
    }

    [Theory]
    [InlineData(false, 4 * 1024 * 1024L)]
    [InlineData(true, 4 * 1024 * 1024L)]
    [InlineData(false, 64 * 1024L)]
    [InlineData(true, 64 * 1024L)]
    public async Task An_endless_body_is_refused_past_the_limit_without_being_held_whole(bool declareLength, long limit)
    {
        var contents = new List<EndlessContent>();
        var handler = new ScriptedHandler
        {
            Respond = _ =>
            {
                var content = new EndlessContent(declareLength);
                contents.Add(content);
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
            },
        };
        var max = limit;

        foreach (var (name, client) in TestClients.Both(handler, limit))
        {
            GC.Collect();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();

            var error = await Assert.ThrowsAsync<ApiException>(() => client.Me.Devices["d"].Commands["c"].GetAsync(
                c => c.Options.Add(new ResponseSizeLimitOption { MaxBytes = max })));

            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            Assert.Contains("larger than", error.Message, StringComparison.Ordinal);
            Assert.True(contents[^1].Pulled <= max + (1 << 20), $"{name}: pulled {contents[^1].Pulled} bytes for a limit of {max}");
            Assert.True(allocated < 2 * max + (2 << 20), $"{name}: allocated {allocated} bytes for a limit of {max}");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{name}: {watch.Elapsed}");
        }
    }
}
