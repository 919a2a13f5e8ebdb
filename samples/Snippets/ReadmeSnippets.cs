using Azure.Identity;
using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceCommands.Client;
using DeviceCommands.Client.AspNetCore;
using DeviceCommands.Client.Models;
using DeviceCommands.Client.Serialization;
using DeviceCommands.Emulator;
using DeviceCommands.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using NSubstitute;
using RichardSzalay.MockHttp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DeviceCommands.Samples.Snippets;

/// <summary>Every C# code block of the repository README (the package READMEs are built and run by .ci/consumer-check). Keep them in step.</summary>
internal static class ReadmeSnippets
{
    public static async Task<Command?> RetriesOffForOneCall(DeviceCommandsClient client, string deviceId, string commandId)
    {
        // README: Kiota per-request options
        var command = await client.Me.Devices[deviceId].Commands[commandId]
            .GetAsync(c => c.Options.Add(new RetryHandlerOption { MaxRetry = 0 }));
        return command;
    }

    public static async Task<DeviceCommandsClient> FirstCall(CancellationToken cancellationToken)
    {
        // README: First call
        var credential = new InteractiveBrowserCredential(new InteractiveBrowserCredentialOptions { TenantId = "consumers", ClientId = "<your app id>" });
        var client = DeviceCommandsClient.Create(credential);

        var page = await client.Me.Devices.GetAsync(cancellationToken: cancellationToken);
        Console.WriteLine(page?.Value?.Count); // the devices of the first page
        return client;
    }

    public static async Task ListDevices(DeviceCommandsClient client, CancellationToken cancellationToken)
    {
        // README: List devices
        await foreach (var device in client.Me.Devices.ListAsync(cancellationToken))
        {
            Console.WriteLine($"{device.Id}: {device.Name} ({device.Kind}, {device.Status})");
        }
    }

    public static async Task Basics(DeviceCommandsClient client, string deviceId, CancellationToken cancellationToken)
    {
        // README: Send a command and wait
        var result = await client.Me.Devices[deviceId].Commands
            .SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com")), cancellationToken: cancellationToken);
        Console.WriteLine($"{result.Status} after {result.Polls} polls"); // Completed after 4 polls
        result.EnsureSuccess(); // throws CommandFailedException for failedToSend, expired, ...
    }

    public static async Task Builders(DeviceCommandsClient client, string deviceId, string commandId, CancellationToken cancellationToken)
    {
        // README: The request builders
        var sent = await client.Me.Devices[deviceId].Commands.PostAsync(
            Command.AppService("com.microsoft.test.cdppingpongservice", "5085ShawnHenry.RomanTestApp_jsjw7knzsgcce",
                new Dictionary<string, object?> { ["Type"] = "Toast", ["Title"] = "Hello" }),
            cancellationToken: cancellationToken);
        var status = await client.Me.Devices[deviceId].Commands[sent!.Id!].GetAsync(cancellationToken: cancellationToken);
        var payload = await client.Me.Devices[deviceId].Commands[sent.Id!].ResponsePayload.GetAsync(cancellationToken: cancellationToken);
        Console.WriteLine($"{status?.Status} {payload?.Type} {payload?.CreationDate}");

        // Kiota conventions: build a request without sending it, or follow a raw URL
        var request = client.Me.Devices[deviceId].Commands[commandId].ToGetRequestInformation();
        var nextPage = await client.Me.Devices.WithUrl("https://graph.microsoft.com/beta/me/devices?$skiptoken=x").GetAsync(cancellationToken: cancellationToken);
        Console.WriteLine($"{request.URI} {nextPage?.Value?.Count}");
    }

    public static async Task Errors(DeviceCommandsClient client, string deviceId, string commandId)
    {
        // README: Errors
        try
        {
            await client.Me.Devices[deviceId].Commands[commandId].GetAsync();
        }
        catch (ODataError e) when (e.ResponseStatusCode == 404)
        {
            Console.WriteLine($"{e.Error?.Code}: {e.Error?.Message}");
        }
        catch (Microsoft.Kiota.Abstractions.ApiException e)
        {
            Console.WriteLine(e.Message); // no answer (e.InnerException: HttpRequestException or TimeoutException), or one that cannot be read
        }
    }

    public static async Task Waiting(DeviceCommandsClient client, string deviceId, string commandId, CancellationToken cancellationToken)
    {
        // README: Waiting
        var options = new CommandWaitOptions
        {
            InitialDelay = TimeSpan.FromSeconds(1),   // the delay before the 2nd poll
            MaxDelay = TimeSpan.FromSeconds(30),      // the cap of the growing, jittered delay
            Timeout = TimeSpan.FromMinutes(10),       // null waits until cancelled
            Progress = new Progress<Command>(c => Console.WriteLine(c.Status)),
        };
        try
        {
            var result = await client.Me.Devices[deviceId].Commands[commandId].WaitForCompletionAsync(options, cancellationToken);
            Console.WriteLine(result.Succeeded);
        }
        catch (CommandWaitTimeoutException e)
        {
            Console.WriteLine($"still {e.LastObserved?.Status} after {e.Polls} polls");
        }

        await foreach (var change in client.Me.Devices[deviceId].Commands[commandId].WatchAsync(cancellationToken: cancellationToken))
        {
            Console.WriteLine(change.Status); // requesting, sentToTarget, executing, completed
        }

        // custom and unknown statuses are not terminal by default; opt in:
        var lenient = new CommandWaitOptions
        {
            IsTerminal = s => s.IsTerminal() || s == ActionStatus.Custom,
            IsTerminalCommand = c => c.RawStatus == "archived",
        };
        await client.Me.Devices[deviceId].Commands[commandId].WaitForCompletionAsync(lenient, cancellationToken);
    }

    public static async Task Durable(DeviceCommandsClient client, string deviceId, string commandId, CancellationToken cancellationToken)
    {
        // README: Waits that outlive the process
        string saved = CommandWaitCheckpoint.Start(deviceId, commandId).ToString(); // store it anywhere
        var step = await client.PollOnceAsync(CommandWaitCheckpoint.Parse(saved), cancellationToken: cancellationToken);
        if (!step.IsCompleted)
        {
            saved = step.Checkpoint.ToString(); // sleep with your engine's durable timer until step.NextPollAt
        }

        var result = await client.ResumeWaitAsync(CommandWaitCheckpoint.Parse(saved), cancellationToken: cancellationToken);
        Console.WriteLine(result.Status);
    }

    public static async Task Emulator()
    {
        // README: The emulator in your own tests
        await using var emulator = await DeviceCommandsEmulator.StartAsync(new EmulatorOptions { StepDelay = TimeSpan.FromMilliseconds(50) });
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = emulator.BaseUrl });

        var result = await client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(
            Command.LaunchUri(new Uri("https://bing.com")),
            new CommandWaitOptions { InitialDelay = TimeSpan.FromMilliseconds(20) });
        Console.WriteLine(result.Status);        // Completed
        Console.WriteLine(emulator.PostCount);   // 1
    }

    public static void Hosting(string[] args)
    {
        // README: Dependency injection
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddDeviceCommandsClient(new DefaultAzureCredential(), builder.Configuration.GetSection("DeviceCommands"));
        using var host = builder.Build();
        var client = host.Services.GetRequiredService<DeviceCommandsClient>();
        Console.WriteLine(client.Me.Devices.ToGetRequestInformation().URI);
    }

    public static void WebBackend(string[] args)
    {
        // README: A web backend, one token per user
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddDeviceCommandsClient(
            sp => new SignedInUserCredential(sp.GetRequiredService<IHttpContextAccessor>()),
            builder.Configuration.GetSection("DeviceCommands"));
        var app = builder.Build();

        app.MapPost("/devices/{deviceId}/open", async (string deviceId, Uri url, DeviceCommandsClient client, CancellationToken cancellationToken) =>
        {
            var result = await client.Me.Devices[deviceId].Commands.SendAndWaitAsync(Command.LaunchUri(url), cancellationToken: cancellationToken);
            return Results.Ok(new { status = result.Status.ToWireValue() });
        });
        app.Run();
    }

    public static void Callbacks(string[] args)
    {
        // README: Completion by callback
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddDeviceCommandCallbacks(new Uri("https://backend.example.com/device-commands/callbacks"));
        builder.Services.AddDeviceCommandsClient(new DefaultAzureCredential());   // its SendAndWaitAsync waits use the receiver
        var app = builder.Build();
        app.MapDeviceCommandCallbacks();   // POST {the receiver's path}/{key}: 202, 404 unknown key, 400 bad key, 413 over 64 KiB
        app.Run();
    }

    /// <summary>The signed-in user's own Graph token, from their session (for example saved by the sign-in handler).</summary>
    private sealed class SignedInUserCredential(IHttpContextAccessor http) : Azure.Core.TokenCredential
    {
        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var context = http.HttpContext ?? throw new InvalidOperationException("No request is being served.");
            var token = await context.GetTokenAsync("access_token") ?? throw new InvalidOperationException("The user is not signed in.");
            return new Azure.Core.AccessToken(token, DateTimeOffset.UtcNow.AddMinutes(5));
        }
    }

    public static DeviceCommandsClient Transport(Microsoft.Extensions.Logging.ILoggerFactory loggerFactory)
    {
        // README: Transport
        return DeviceCommandsClient.Create(new DefaultAzureCredential(), new DeviceCommandsClientOptions
        {
            MaxRetries = 3,                               // at most 4 attempts of one request
            RetryDelay = TimeSpan.FromSeconds(1),         // backoff base when there is no Retry-After
            AttemptTimeout = TimeSpan.FromSeconds(30),
            LoggerFactory = loggerFactory,
            ConfigureResilience = pipeline => { /* e.g. pipeline.AddCircuitBreaker(...) or Polly's chaos strategies */ },
        });
    }

    public static async Task TestingInMemory()
    {
        // README: Testing your code, the emulator in memory on virtual time
        var clock = new VirtualClock();
        await using var emulator = DeviceCommandsEmulator.CreateInMemory(new EmulatorOptions { TimeProvider = clock, StepDelay = TimeSpan.FromMinutes(20) });
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            BaseUrl = emulator.BaseUrl, HttpMessageHandler = emulator.CreateHandler(), TimeProvider = clock,
        });

        var result = await clock.RunAsync(() => client.Me.Devices["emu-laptop"].Commands.SendAndWaitAsync(
            Command.LaunchUri(new Uri("https://bing.com")), new CommandWaitOptions { Timeout = TimeSpan.FromHours(2) })); // the default is 10 min
        Console.WriteLine($"{result.Status} after {result.Elapsed}"); // Completed after 01:00:00 (virtual), in milliseconds of real time

        emulator.Devices.Update("emu-laptop", d => d with { Behavior = DeviceBehavior.Offline });   // steer it from the test
        emulator.Script.NextGets(result.Command.Id!, 2, System.Net.HttpStatusCode.ServiceUnavailable);
        Console.WriteLine(emulator.GetRequests().Count);                                            // what it received
    }

    public static async Task TestingWithMockHttp()
    {
        // README: Testing your code, MockHttp
        var http = new MockHttpMessageHandler();
        http.When(HttpMethod.Get, "https://graph.microsoft.com/beta/me/devices/pc/commands/c1")
            .Respond("application/json", """{"id":"c1","status":"completed"}""");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            HttpMessageHandler = http,
            RetryDelay = TimeSpan.Zero, // retries do not wait (with the defaults a 503 costs about 1 + 2 + 4 s)
        });

        var status = await client.Me.Devices["pc"].Commands["c1"].GetAsync();
        Console.WriteLine(status?.Status);
    }

    public static async Task TestKitPackage()
    {
        // README (src/DeviceCommands.Testing): the test kit alone, on MockHttp
        var http = new MockHttpMessageHandler();
        http.When(HttpMethod.Post, "https://graph.microsoft.com/beta/me/devices/pc/commands")
            .Respond(System.Net.HttpStatusCode.Created, "application/json", """{"id":"c1","status":"requesting"}""");
        http.When(HttpMethod.Get, "https://graph.microsoft.com/beta/me/devices/pc/commands/c1")
            .Respond("application/json", """{"id":"c1","status":"completed"}""");
        var clock = new VirtualClock();
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions
        {
            HttpMessageHandler = clock.Track(http), // MockHttp answers on other threads: the clock waits for its answers
            TimeProvider = clock,                   // retries, Retry-After and the waits' delays run on virtual time
        });

        var result = await clock.RunAsync(() => client.Me.Devices["pc"].Commands.SendAndWaitAsync(Command.LaunchUri(new Uri("https://bing.com"))));
        Console.WriteLine(result.Status); // Completed
    }

    public static async Task TestingWithNSubstitute()
    {
        // README: Testing your code, NSubstitute (Moq works the same way)
        var client = Substitute.For<DeviceCommandsClient>();
        client.Me.Devices["pc"].Commands["c1"].GetAsync(Arg.Any<Action<RequestConfiguration<DefaultQueryParameters>>>(), Arg.Any<CancellationToken>())
            .Returns(new Command { Id = "c1", Status = ActionStatus.Executing }, new Command { Id = "c1", Status = ActionStatus.Completed });
        var clock = new VirtualClock();

        var result = await clock.RunAsync(() => client.Me.Devices["pc"].Commands["c1"].WaitForCompletionAsync(new CommandWaitOptions { TimeProvider = clock }));
        Console.WriteLine(result.Polls); // 2: the wait polled the substitute
    }

    public static async Task Payloads(DeviceCommandsClient client, string deviceId, CancellationToken cancellationToken)
    {
        // README: Payloads
        var command = Command.AppService("com.microsoft.test.cdppingpongservice", "5085ShawnHenry.RomanTestApp_jsjw7knzsgcce",
            new Toast("Toast", "Hello"), MyJson.Default.Toast);
        var sent = await client.Me.Devices[deviceId].Commands.SendAndWaitAsync(command, cancellationToken: cancellationToken);
        var answer = await client.Me.Devices[deviceId].Commands[sent.Command.Id!].ResponsePayload.GetAsync(cancellationToken: cancellationToken);

        AppAnswer? typed = answer!.As(MyJson.Default.AppAnswer);
        JsonElement json = answer.ToJson();
        IReadOnlyDictionary<string, object?>? values = JsonPayload.ToDictionary(command.Payload);
        Toast? toast = command.GetPayload(MyJson.Default.Toast);
        Console.WriteLine($"{typed?.AppServiceResponse?.Title} {json.ValueKind} {values?.Count} {toast?.Title}");
    }
}

/// <summary>An app service's payload, as your own type.</summary>
internal sealed record Toast(string Type, string Title);

/// <summary>The answer of an app service, with the documented properties beside it.</summary>
internal sealed record AppAnswer(string? Type, Toast? AppServiceResponse);

/// <summary>Your System.Text.Json context (source generation: trimming and AOT safe).</summary>
[JsonSerializable(typeof(Toast))]
[JsonSerializable(typeof(AppAnswer))]
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
internal sealed partial class MyJson : JsonSerializerContext;
