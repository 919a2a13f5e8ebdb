using System.Net;

namespace DeviceCommands.Client.Tests.Me.Devices;

/// <summary>
/// Found by the hostile-id properties: an id with a lone surrogate has no UTF-8 (so no URL) form; the URL template
/// threw from deep inside the adapter's send. It is now refused by the indexer, before anything is sent.
/// </summary>
public class LoneSurrogateIdTests
{
    [Fact] // not a theory: xunit's serialization of theory data would turn a lone surrogate into U+FFFD
    public void An_id_with_a_lone_surrogate_throws_ArgumentException_at_the_indexer()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "{}");
        var client = TestClients.Created(recorder.Handler);

        foreach (var id in new[] { "\ud800", "a\udfffb", "x\ud83d", "\ude80\ud83d" })
        {
            Assert.Throws<ArgumentException>(() => client.Me.Devices[id]);
            Assert.Throws<ArgumentException>(() => client.Me.Devices["d"].Commands[id]);
        }

        Assert.Empty(recorder.Requests);
    }

    [Fact]
    public async Task A_surrogate_pair_is_a_valid_id()
    {
        var recorder = MockHttpRecorder.Answering(HttpStatusCode.OK, "{\"id\":\"c\"}");

        await TestClients.Created(recorder.Handler).Me.Devices["🚀"].Commands["c"].GetAsync();

        Assert.EndsWith("/devices/%F0%9F%9A%80/commands/c", recorder.Single.Uri.AbsolutePath, StringComparison.Ordinal);
    }
}
