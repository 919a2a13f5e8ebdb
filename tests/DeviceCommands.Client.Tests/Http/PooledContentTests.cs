using System.Text;
using DeviceCommands.Client.Http;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Http;

/// <summary>The body an attempt read once: its bytes, its headers and its limit, read in place by the body reader.</summary>
public class PooledContentTests
{
    private static async Task<PooledContent> ReadAsync(string body)
    {
        var original = new StringContent(body, Encoding.UTF8, "application/json");
        var read = await BodyReader.ReadAsync(original, 1024, truncate: false, CancellationToken.None);
        return new PooledContent(read, original);
    }

    [Fact]
    public async Task Keeps_the_bytes_and_the_content_headers_of_the_body_it_replaces()
    {
        using var content = await ReadAsync("{\"id\":\"c\"}");

        Assert.Equal("{\"id\":\"c\"}", await content.ReadAsStringAsync());
        Assert.Equal("application/json", content.Headers.ContentType?.MediaType);
        Assert.Equal(10, content.Headers.ContentLength);
    }

    [Fact]
    public async Task Is_read_in_place_by_the_body_reader_under_the_request_limit()
    {
        using var content = await ReadAsync("{\"id\":\"c\"}");

        using (var body = await BodyReader.ReadAsync(content, 10, truncate: false, CancellationToken.None))
        {
            Assert.True(body.Memory.Span.SequenceEqual(content.Memory.Span));
        }

        // the reader's body does not own the buffer: the content still holds its bytes
        Assert.Equal("{\"id\":\"c\"}", Encoding.UTF8.GetString(content.Memory.Span));
        await Assert.ThrowsAsync<ApiException>(async () => await BodyReader.ReadAsync(content, 9, truncate: false, CancellationToken.None));
    }

    [Fact]
    public async Task Gives_its_buffer_back_once_disposed()
    {
        var content = await ReadAsync("{}");
        content.Dispose();

        Assert.Throws<ObjectDisposedException>(() => content.Memory);
    }

    [Fact]
    public async Task In_lazy_mode_the_headers_stay_on_the_original_until_asked_for()
    {
        var original = new StringContent("{}", Encoding.UTF8, "application/json");
        var read = await BodyReader.ReadAsync(original, 1024, truncate: false, CancellationToken.None);
        using var content = new PooledContent(read, original, copyHeaders: false);
        original.Dispose();

        Assert.Empty(content.Headers.NonValidated);
        Assert.Equal("application/json", PooledContent.HeadersOf(content).ContentType?.MediaType);
        Assert.Same(content.Headers, PooledContent.HeadersOf(content));
    }

    [Fact]
    public async Task In_lazy_mode_showing_the_headers_puts_them_on_the_content_once()
    {
        var original = new StringContent("{}", Encoding.UTF8, "application/json");
        var read = await BodyReader.ReadAsync(original, 1024, truncate: false, CancellationToken.None);
        using var response = new HttpResponseMessage { Content = new PooledContent(read, original, copyHeaders: false) };

        PooledContent.ShowHeaders(response);
        PooledContent.ShowHeaders(response);

        Assert.Equal(["application/json; charset=utf-8"], response.Content.Headers.NonValidated["Content-Type"]);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }
}
