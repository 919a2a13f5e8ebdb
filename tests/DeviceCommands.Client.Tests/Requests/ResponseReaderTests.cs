using System.Net;
using System.Text;
using System.Text.Json;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Tests.TestSupport;
using DeviceCommands.Testing;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Requests;

/// <summary>Errors and unreadable bodies, through both a stock adapter and a client from Create.</summary>
public class ResponseReaderTests
{
    public static TheoryData<bool> Adapters => new(true, false);

    private static Task<Command?> Get(MockHttpRecorder recorder, bool stock) =>
        (stock ? TestClients.Stock(recorder.Handler) : TestClients.Created(recorder.Handler)).Me.Devices["d"].Commands["c"].GetAsync();

    [Theory]
    [MemberData(nameof(Adapters))]
    public async Task An_odata_error_body_becomes_an_ODataError_with_code_message_and_status(bool stock)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.NotFound, Fixture.Read("odata-error.json"), configure: r => r.Headers.Add("request-id", "abc"));

        var error = await Assert.ThrowsAsync<ODataError>(() => Get(recorder, stock));

        Assert.Equal(404, error.ResponseStatusCode);
        Assert.Equal("ResourceNotFound", error.Error?.Code);
        Assert.Equal("The device was not found.", error.Error?.Message);
        Assert.Equal(["abc"], error.ResponseHeaders["Request-Id"]);
    }

    public static TheoryData<bool, int, string?, string?> ErrorShapes()
    {
        var data = new TheoryData<bool, int, string?, string?>();
        foreach (var stock in new[] { true, false })
        {
            data.Add(stock, 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
            data.Add(stock, 500, "Internal failure", "text/plain");
            data.Add(stock, 503, null, null);
            data.Add(stock, 401, "", "application/json");
            data.Add(stock, 429, "{\"not\":\"an odata error\"}", "application/json");
            data.Add(stock, 400, "{\"error\":\"just a string\"}", "application/json");
            data.Add(stock, 403, "{truncated", "application/json");
            data.Add(stock, 418, "[1,2,3]", "application/json");
            data.Add(stock, 409, "binary\u0001\u0002", null);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ErrorShapes))]
    public async Task Every_error_status_becomes_an_ODataError_whatever_its_body(bool stock, int status, string? body, string? mediaType)
    {
        var recorder = MockHttpRecorder.Answering((HttpStatusCode)status, body, mediaType);

        var error = await Assert.ThrowsAsync<ODataError>(() => Get(recorder, stock));

        Assert.Equal(status, error.ResponseStatusCode);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_html_error_page_keeps_its_start_for_diagnostics()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.BadGateway, "<html>gateway</html>", "text/html");

        var error = await Assert.ThrowsAsync<ODataError>(() => Get(recorder, stock: false));

        Assert.Equal("<html>gateway</html>", error.ResponseBody);
        Assert.Null(error.Error);
    }

    public static TheoryData<bool, string> UnreadableBodies()
    {
        var data = new TheoryData<bool, string>();
        foreach (var stock in new[] { true, false })
        {
            data.Add(stock, "<html>not json</html>");
            data.Add(stock, "{\"id\":\"1\",\"status\":\"comp");
            data.Add(stock, "{\"id\":");
            data.Add(stock, new string('[', 10_000) + new string(']', 10_000));
            data.Add(stock, "{\"a\":" + new string('[', 100) + new string(']', 100) + "}");
            data.Add(stock, "\u00ff\u00fe garbage");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task A_success_body_that_is_not_json_throws_ApiException_with_the_parsers_exception(bool stock, string body)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, body);

        var error = await Assert.ThrowsAsync<ApiException>(() => Get(recorder, stock));

        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }

    public static TheoryData<bool, string> MangledButParseableBodies()
    {
        var data = new TheoryData<bool, string>();
        string[] bodies =
        [
            """{"id":[],"status":{},"type":1.5e300,"responsePayload":[{"x":1}],"payload":null,"error":false}""",
            """{"value":"null"}""",
            """{"value":[1,2]}""",
            """{"value":{"value":{"value":{"id":"deep","status":"executing"}}}}""",
            """{"responsePayload":{"CreationDate":{"nested":true},"MsIgnoredParameter":99999999999999999999,"Type":[]}}""",
            """{"id":"1","id":"2","status":"completed","status":"nonsense"}""",
            """{"status":"\u0000\u0001"}""",
        ];
        foreach (var stock in new[] { true, false })
        {
            foreach (var body in bodies)
            {
                data.Add(stock, body);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MangledButParseableBodies))]
    public async Task A_json_body_of_the_wrong_shapes_reads_without_any_exception(bool stock, string body)
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, body);

        var command = await Get(recorder, stock);

        Assert.NotNull(command);
    }

    [Fact]
    public async Task A_json_body_that_is_not_an_object_throws_ApiException()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "[1,2,3]");

        var error = await Assert.ThrowsAsync<ApiException>(() => Get(recorder, stock: false));

        Assert.Equal(200, error.ResponseStatusCode);
    }

    [Fact]
    public async Task A_body_larger_than_the_limit_is_refused_with_ApiException()
    {
        var body = "{\"id\":\"" + new string('x', 5 * 1024 * 1024) + "\"}";
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, body);

        var error = await Assert.ThrowsAsync<ApiException>(() => Get(recorder, stock: false));

        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_a_stock_adapter_the_size_limit_is_a_request_option()
    {
        var body = "{\"id\":\"" + new string('x', 64 * 1024) + "\"}";
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, body);

        var error = await Assert.ThrowsAsync<ApiException>(() => TestClients.Stock(recorder.Handler).Me.Devices["d"].Commands["c"]
            .GetAsync(c => c.Options.Add(new DeviceCommands.Client.Requests.ResponseSizeLimitOption { MaxBytes = 1024 })));

        Assert.Contains("limit of 1024 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(200, error.ResponseStatusCode);
    }

    [Fact]
    public async Task A_connection_that_breaks_off_mid_body_is_a_transport_failure_not_a_read_failure()
    {
        // The body never arrived whole: that is the network's failure (HttpRequestException, which the retry layer
        // treats as transient), unlike a body that arrived whole but is cut short (ApiException above).
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, null, configure: r => r.Content = new StreamContent(new BreakingStream(Encoding.UTF8.GetBytes("{\"id\":\"1\","))));

        var error = await Assert.ThrowsAsync<ApiException>(() => Get(recorder, stock: false));

        Assert.IsType<IOException>(Assert.IsType<HttpRequestException>(error.InnerException).InnerException);
    }

    [Fact]
    public async Task An_endless_body_is_refused_after_reading_no_more_than_the_limit()
    {
        var endless = new EndlessStream();
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, null, configure: r => r.Content = new StreamContent(endless));
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = recorder.Handler, MaxResponseContentBytes = 64 * 1024 });

        var error = await Assert.ThrowsAsync<ApiException>(() => client.Me.Devices["d"].Commands["c"].GetAsync());

        Assert.Contains("larger than the client's limit (65536 bytes", error.Message, StringComparison.Ordinal);
        Assert.InRange(endless.Served, 64 * 1024, 256 * 1024);
    }

    [Fact]
    public async Task A_body_that_stalls_is_abandoned_at_the_attempt_timeout_which_bounds_the_body_too()
    {
        var clock = new VirtualClock();
        // a handler that answers at once: the headers arrive, the attempt is over, and only the body can stall
        var handler = new ScriptedHandler(clock).Always(HttpStatusCode.OK, configure: r => r.Content = new StreamContent(new StallingStream("{\"id\":"u8.ToArray())));
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            HttpMessageHandler = handler, TimeProvider = clock, AttemptTimeout = TimeSpan.FromSeconds(5), MaxRetries = 0,
        });

        var error = Assert.IsType<TimeoutException>((await Assert.ThrowsAsync<ApiException>(() => clock.RunAsync(() => client.Me.Devices["d"].Commands["c"].GetAsync()))).InnerException);

        Assert.Contains("attempt timeout of 00:00:05", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A body that sends its first bytes, then nothing, ever (until cancelled).</summary>
    private sealed class StallingStream(byte[] start) : MemoryStream(start)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                return read;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            return 0;
        }
    }

    /// <summary>A body that never ends: "[[[[..." forever, counting what was read.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'[');
            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class BreakingStream(byte[] start) : MemoryStream(start)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : throw new IOException("The connection was reset.");
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            return read > 0 ? read : throw new IOException("The connection was reset.");
        }
    }
}
