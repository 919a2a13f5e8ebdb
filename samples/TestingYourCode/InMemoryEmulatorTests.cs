using DeviceCommands.Client;
using DeviceCommands.Emulator;
using DeviceCommands.Testing;

namespace DeviceCommands.Samples.TestingYourCode;

/// <summary>Way 1: the emulator in memory (no socket, no port) on a virtual clock: an hour-long command in milliseconds.</summary>
public sealed class InMemoryEmulatorTests : IAsyncDisposable
{
    private readonly VirtualClock _clock = new();
    private readonly DeviceCommandsEmulator _emulator;
    private readonly DeviceOpener _opener;

    public InMemoryEmulatorTests()
    {
        // README: Testing your code, in memory
        _emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = _clock, StepDelay = TimeSpan.FromMinutes(20) });
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            BaseUrl = _emulator.BaseUrl,
            HttpMessageHandler = _emulator.CreateHandler(),
            TimeProvider = _clock,
        });
        _opener = new DeviceOpener(client, _clock);
    }

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    [Fact]
    public async Task A_page_opens_on_the_first_online_device_after_an_hour_of_virtual_time()
    {
        var start = _clock.GetUtcNow();

        var outcome = await _clock.RunAsync(() => _opener.OpenAsync(new Uri("https://bing.com")));

        Assert.Equal("Opened on Emulated Laptop", outcome);
        Assert.True(_clock.GetUtcNow() - start >= TimeSpan.FromMinutes(60));
        Assert.Equal(1, _emulator.PostCount);
    }

    [Fact]
    public async Task A_device_that_went_offline_says_so()
    {
        // steer the emulator from the test: the laptop now fails to receive commands
        _emulator.Devices.Update("emu-laptop", d => d with { Behavior = DeviceBehavior.Offline });

        var outcome = await _clock.RunAsync(() => _opener.OpenAsync(new Uri("https://bing.com")));

        Assert.Equal("Emulated Laptop: failedToSend", outcome);
    }
}
