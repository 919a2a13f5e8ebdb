using Azure.Core;
using DeviceCommands.Client;
using DeviceCommands.Client.Models;
using DeviceCommands.Emulator;

namespace DeviceCommands.IntegrationTests;

/// <summary>The client against the emulator over real HTTP on loopback (real Kestrel, real sockets, real time).</summary>
public class ClientAgainstEmulatorTests
{
    private static readonly CommandWaitOptions FastWait = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromMilliseconds(100),
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static TheoryData<string, ActionStatus, bool> EveryDeviceInBothModes()
    {
        var data = new TheoryData<string, ActionStatus, bool>();
        foreach (var clean in new[] { false, true })
        {
            data.Add("emu-laptop", ActionStatus.Completed, clean);
            data.Add("emu-offline-phone", ActionStatus.FailedToSend, clean);
            data.Add("emu-sleepy-tablet", ActionStatus.CommandDropped, clean);
            data.Add("emu-broken-hub", ActionStatus.ExecutionFailed, clean);
            data.Add("emu-slow-console", ActionStatus.Expired, clean);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryDeviceInBothModes))]
    public async Task Every_seeded_device_takes_its_command_to_its_true_end(string deviceId, ActionStatus expected, bool cleanJson)
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.FromMilliseconds(40), CleanJson = cleanJson });
        var client = TestClients.Loopback(emulator.BaseUrl);
        var progress = new ProgressRecorder<Command>();
        var options = new CommandWaitOptions
        {
            InitialDelay = FastWait.InitialDelay,
            MaxDelay = FastWait.MaxDelay,
            Timeout = FastWait.Timeout,
            Progress = progress,
        };

        var result = await client.Me.Devices[deviceId].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), options);
        var seen = progress.Items.Select(c => c.Status).ToList();

        Assert.Equal(expected, result.Status);
        Assert.Equal(expected == ActionStatus.Completed, result.Succeeded);
        Assert.Equal(ActionStatus.Requesting, seen[0]);
        Assert.Equal(expected, seen[^1]);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        if (expected == ActionStatus.ExecutionFailed)
        {
            Assert.False(string.IsNullOrEmpty(result.Command.Error));
            Assert.Throws<CommandFailedException>(() => result.EnsureSuccess());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_device_list_reads_in_both_modes_and_the_first_device_completes_commands(bool cleanJson)
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { CleanJson = cleanJson });

        var devices = (await TestClients.Loopback(emulator.BaseUrl).Me.Devices.GetAsync())!.Value!;

        Assert.Equal(5, devices.Count);
        Assert.Equal("emu-laptop", devices[0].Id);
        Assert.All(devices, d => Assert.False(string.IsNullOrEmpty(d.Name)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_app_service_round_trip_reads_the_echoed_payload(bool cleanJson)
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.FromMilliseconds(20), CleanJson = cleanJson });
        var client = TestClients.Loopback(emulator.BaseUrl);

        var result = await client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(
            Command.AppService("svc", "pfn", new Dictionary<string, object?> { ["Title"] = "Hello" }), FastWait);
        var payload = await client.Me.Devices["emu-laptop"].Commands[result.Command.Id!].ResponsePayload.GetAsync();

        Assert.True(result.Succeeded);
        Assert.Equal("Ok", payload?.Type);
        Assert.NotNull(payload?.CreationDate);
    }

    [Fact]
    public async Task Unknown_devices_and_commands_are_404_ODataErrors()
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync();
        var client = TestClients.Loopback(emulator.BaseUrl);

        var device = await Assert.ThrowsAsync<ODataError>(() => client.Me.Devices["nope"].Commands.PostAsync(Command.LaunchUri(new Uri("https://bing.com"))));
        var command = await Assert.ThrowsAsync<ODataError>(() => client.Me.Devices["emu-laptop"].Commands["nope/../x"].GetAsync());

        Assert.Equal(404, device.ResponseStatusCode);
        Assert.Equal(404, command.ResponseStatusCode);
        Assert.NotNull(command.Error?.Code);
    }

    [Fact]
    public async Task A_wait_on_an_unknown_command_ends_at_once_with_the_404()
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync();

        var error = await Assert.ThrowsAsync<ODataError>(() => TestClients.Loopback(emulator.BaseUrl).Me.Devices["emu-laptop"].Commands["missing"].WaitForCompletionAsync(FastWait));

        Assert.Equal(404, error.ResponseStatusCode);
    }

    [Fact]
    public async Task Without_a_token_a_token_requiring_emulator_answers_401_and_with_one_it_works()
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { RequireToken = true });

        var error = await Assert.ThrowsAsync<ODataError>(() => TestClients.Loopback(emulator.BaseUrl).Me.Devices.GetAsync());
        var devices = await TestClients.Loopback(emulator.BaseUrl, new FakeCredential("emulator-accepts-any-token")).Me.Devices.GetAsync();

        Assert.Equal(401, error.ResponseStatusCode);
        Assert.Equal(5, devices?.Value?.Count);
    }

    [Fact]
    public async Task Under_throttling_and_outages_every_wait_reaches_its_true_status_and_no_command_is_created_twice()
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions
        {
            StepDelay = TimeSpan.FromMilliseconds(30),
            ThrottleRate = 0.2,
            ThrottleRetryAfter = TimeSpan.Zero,
            UnavailableRate = 0.1,
            Seed = 7,
        });
        var client = TestClients.Loopback(emulator.BaseUrl, configure: o => o.MaxRetries = 8);
        string[] devices = ["emu-laptop", "emu-offline-phone", "emu-sleepy-tablet", "emu-broken-hub"];

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var device = devices[i % devices.Length];
            try
            {
                var result = await client.Me.Devices[device].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), FastWait);
                return (Device: device, Status: (ActionStatus?)result.Status, Error: (Exception?)null);
            }
            catch (ODataError e) when (e.ResponseStatusCode == 503)
            {
                // a POST that met an outage is not retried (it may have been accepted): the caller sees the 503
                return (Device: device, Status: (ActionStatus?)null, Error: (Exception?)e);
            }
        }));

        foreach (var (device, status, _) in results.Where(r => r.Error is null))
        {
            Assert.Equal(device switch
            {
                "emu-laptop" => ActionStatus.Completed,
                "emu-offline-phone" => ActionStatus.FailedToSend,
                "emu-sleepy-tablet" => ActionStatus.CommandDropped,
                _ => ActionStatus.ExecutionFailed,
            }, status);
        }

        var created = emulator.GetCommands();
        Assert.Equal(created.Count, created.Select(c => c.ClientRequestId).Distinct().Count());
        Assert.Equal(results.Count(r => r.Error is null), created.Count);
    }

    [Fact]
    public async Task Two_hundred_concurrent_send_and_waits_all_reach_their_true_status_and_nothing_is_posted_twice()
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.FromMilliseconds(50) });
        var client = TestClients.Loopback(emulator.BaseUrl);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => client.Me.Devices[i % 2 == 0 ? "emu-laptop" : "emu-broken-hub"].Commands
            .SendAndWaitAsync(Command.AppService("svc", "pfn", new Dictionary<string, object?> { ["n"] = i }), FastWait)));

        Assert.All(results.Where((_, i) => i % 2 == 0), r => Assert.Equal(ActionStatus.Completed, r.Status));
        Assert.All(results.Where((_, i) => i % 2 == 1), r => Assert.Equal(ActionStatus.ExecutionFailed, r.Status));
        Assert.Equal(200, emulator.PostCount);
        Assert.Equal(0, emulator.DuplicatePostCount);
        Assert.Equal(200, emulator.GetCommands().Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public async Task Retry_after_hints_let_a_wait_see_the_end_promptly()
    {
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.FromMilliseconds(300), RetryAfterHints = true });
        var client = TestClients.Loopback(emulator.BaseUrl);

        var result = await client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(
            Command.LaunchUri(new Uri("https://bing.com")),
            new CommandWaitOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(30) });

        Assert.Equal(ActionStatus.Completed, result.Status);
        Assert.InRange(result.Polls, 1, 8);
    }
}
