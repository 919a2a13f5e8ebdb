using System.Net;
using DeviceCommands.TestSupport;
using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Tests.Me.Devices;

/// <summary>
/// Every device of every page: next links are followed on the client's own host only, so a link that leaves it is
/// refused before anything (a token least of all) goes there.
/// </summary>
public class ListAsyncTests
{
    private const string Base = "https://graph.microsoft.com/beta";

    private static string Page(string next, params string[] ids) =>
        "{\"value\":[" + string.Join(",", ids.Select(id => $"{{\"id\":\"{id}\"}}")) + "]" + (next.Length == 0 ? "" : $",\"@odata.nextLink\":\"{next}\"") + "}";

    private static (ScriptedHandler Handler, DeviceCommandsClient Client) Setup(params string[] pages)
    {
        var handler = new ScriptedHandler();
        foreach (var page in pages)
        {
            handler.Answer(HttpStatusCode.OK, page);
        }

        return (handler, DeviceCommandsClient.Create(new FakeCredential(), new DeviceCommandsClientOptions { HttpMessageHandler = handler, MaxRetries = 0 }));
    }

    [Fact]
    public async Task Every_device_of_every_page_comes_in_order()
    {
        var (handler, client) = Setup(
            Page($"{Base}/me/devices?$skiptoken=2", "a", "b"),
            Page($"{Base}/me/devices?$skiptoken=3", "c"),
            Page("", "d"));

        var ids = await client.Me.Devices.ListAsync().Select(d => d.Id).ToListAsync();

        Assert.Equal(["a", "b", "c", "d"], ids);
        Assert.Equal([$"{Base}/me/devices", $"{Base}/me/devices?$skiptoken=2", $"{Base}/me/devices?$skiptoken=3"], handler.Requests.Select(r => r.Uri.OriginalString));
        Assert.All(handler.Requests, r => Assert.Equal($"Bearer {FakeCredential.Token}", r.Authorization));
    }

    [Theory]
    [InlineData("::not a url::")]
    [InlineData("page2")]
    [InlineData("?page=Q")]
    [InlineData("/beta/me/devices?$skiptoken=2")]
    [InlineData("//graph.microsoft.com/beta/me/devices?$skiptoken=2")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://graph.microsoft.com/beta/me/devices")]
    public async Task A_next_link_that_is_not_an_absolute_http_url_is_refused_before_anything_is_sent(string next)
    {
        var (handler, client) = Setup(Page(next, "a"), Page("", "b"));
        var seen = new List<string?>();

        var error = await Assert.ThrowsAsync<ApiException>(async () =>
        {
            await foreach (var device in client.Me.Devices.ListAsync())
            {
                seen.Add(device.Id);
            }
        });

        Assert.Equal(["a"], seen);
        Assert.Single(handler.Requests);
        Assert.Contains($"'{next}' is not an absolute http(s) URL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/page2")]
    [InlineData("https://graph.microsoft.com/v1.0/me/devices?$skiptoken=2")]
    [InlineData("https://graph.microsoft.com/betax/me/devices")]
    [InlineData("https://graph.microsoft.com/beta/../other")]
    public async Task A_next_link_outside_the_clients_base_path_is_refused(string next)
    {
        var (handler, client) = Setup(Page(next, "a"), Page("", "b"));

        var error = await Assert.ThrowsAsync<ApiException>(() => client.Me.Devices.ListAsync().ToListAsync().AsTask());

        Assert.Contains("outside the client's base path '/beta'", error.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_refused_link_is_quoted_escaped_and_cut_short()
    {
        var next = "\\r\\nX-Evil: 1" + new string('x', 500);
        var (_, client) = Setup(Page(next, "a"), Page("", "b"));

        var error = await Assert.ThrowsAsync<ApiException>(() => client.Me.Devices.ListAsync().ToListAsync().AsTask());

        Assert.Contains("'\\r\\nX-Evil: 1xxx", error.Message, StringComparison.Ordinal);
        Assert.Contains("xxx… (511 characters)'", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400, error.Message);
    }

    [Theory]
    [InlineData("https://evil.example.com/beta/me/devices?$skiptoken=2")]
    [InlineData("http://graph.microsoft.com/beta/me/devices?$skiptoken=2")]
    [InlineData("https://graph.microsoft.com:444/beta/me/devices?$skiptoken=2")]
    public async Task A_next_link_that_leaves_the_clients_host_is_refused_and_nothing_is_sent_there(string next)
    {
        var (handler, client) = Setup(Page(next, "a"), Page("", "stolen"));
        var seen = new List<string?>();

        var error = await Assert.ThrowsAsync<ApiException>(async () =>
        {
            await foreach (var device in client.Me.Devices.ListAsync())
            {
                seen.Add(device.Id);
            }
        });

        Assert.Equal(["a"], seen);
        Assert.Contains("leaves the client's host", error.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
        Assert.DoesNotContain(FakeCredential.Token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_next_link_that_repeats_a_page_stops_the_listing_instead_of_looping()
    {
        var (handler, client) = Setup(Page($"{Base}/me/devices?$skiptoken=2", "a"), Page($"{Base}/me/devices?$skiptoken=2", "b"));

        var error = await Assert.ThrowsAsync<ApiException>(() => client.Me.Devices.ListAsync().ToListAsync().AsTask());

        Assert.Contains("repeats a page", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Theory]
    [InlineData(Base + "/me/devices")]
    [InlineData("HTTPS://Graph.Microsoft.com:443/beta/me/devices#again")]
    public async Task A_next_link_back_to_the_first_page_ends_before_it_is_asked_for_again(string first)
    {
        var (handler, client) = Setup(Page(first, "a"), Page("", "a-again"));
        var seen = new List<string?>();

        var error = await Assert.ThrowsAsync<ApiException>(async () =>
        {
            await foreach (var device in client.Me.Devices.ListAsync())
            {
                seen.Add(device.Id);
            }
        });

        Assert.Contains("repeats a page", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a"], seen);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_cycle_through_a_second_page_back_to_the_first_yields_no_device_twice()
    {
        var (handler, client) = Setup(Page($"{Base}/me/devices?$skiptoken=2", "a"), Page($"{Base}/me/devices", "b"), Page("", "a-again"));
        var seen = new List<string?>();

        await Assert.ThrowsAsync<ApiException>(async () =>
        {
            await foreach (var device in client.Me.Devices.ListAsync())
            {
                seen.Add(device.Id);
            }
        });

        Assert.Equal(["a", "b"], seen);
        Assert.Equal([$"{Base}/me/devices", $"{Base}/me/devices?$skiptoken=2"], handler.Requests.Select(r => r.Uri.AbsoluteUri));
    }

    [Fact]
    public async Task A_listing_that_starts_from_a_raw_url_counts_that_url_as_read()
    {
        var start = $"{Base}/me/devices?$top=1";
        var (handler, client) = Setup(Page(start, "a"), Page("", "a-again"));

        await Assert.ThrowsAsync<ApiException>(() => client.Me.Devices.WithUrl(start).ListAsync().ToListAsync().AsTask());

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_page_without_devices_is_passed_over()
    {
        var (_, client) = Setup("{\"@odata.nextLink\":\"" + Base + "/me/devices?$skiptoken=2\"}", Page("", "a"));

        Assert.Equal(["a"], await client.Me.Devices.ListAsync().Select(d => d.Id).ToListAsync());
    }

    [Fact]
    public async Task Cancelling_stops_the_listing()
    {
        var (handler, client) = Setup(Page($"{Base}/me/devices?$skiptoken=2", "a"), Page("", "b"));
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.Me.Devices.ListAsync(cts.Token))
            {
                await cts.CancelAsync();
            }
        });

        Assert.Single(handler.Requests);
    }
}
