using DeviceCommands.Client.Http;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Http;

/// <summary>The body reader's view of a declared length: the raw <c>Content-Length</c>, never a computed one, never a crash.</summary>
public class BodyReaderTests
{
    private static ByteArrayContent Declaring(string? length, int bytes = 3)
    {
        var content = new ByteArrayContent(new byte[bytes]);
        if (length is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Length", length);
        }

        return content;
    }

    [Fact]
    public void Without_a_header_no_length_is_declared_even_when_the_content_could_compute_one()
    {
        using var content = Declaring(null);

        Assert.Null(BodyReader.DeclaredLength(content));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("42", 42L)]
    [InlineData(" 7 ", 7L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void A_valid_header_is_the_declared_length(string header, long expected)
    {
        using var content = Declaring(header);

        Assert.Equal(expected, BodyReader.DeclaredLength(content));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    public void An_invalid_or_huge_header_declares_nothing(string header)
    {
        using var content = Declaring(header);

        Assert.Null(BodyReader.DeclaredLength(content));
    }

    [Fact]
    public async Task A_huge_declared_length_is_refused_before_the_body_is_read_and_cut_when_truncating()
    {
        using var content = Declaring("9223372036854775807");

        var error = await Assert.ThrowsAsync<ApiException>(async () => await BodyReader.ReadAsync(content, 1024, truncate: false, CancellationToken.None));
        Assert.Contains("9223372036854775807", error.Message, StringComparison.Ordinal);

        using var cut = await BodyReader.ReadAsync(Declaring("9223372036854775807"), 1024, truncate: true, CancellationToken.None);
        Assert.Equal(3, cut.Length);
    }
}
