using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.CompilerServices;
using DeviceCommands.Client.Diagnostics;

namespace DeviceCommands.Client.Tests.Diagnostics;

/// <summary>
/// What an OpenTelemetry exporter reads from the <c>DeviceCommands.Client</c> meter before any measurement: the
/// durations' bucket advice in seconds (the defaults are meant for milliseconds and would put every call in the first
/// bucket), and the package's one version.
/// </summary>
public sealed class ClientMetricsAdviceTests
{
    private static Dictionary<string, Instrument> PublishedInstruments()
    {
        RuntimeHelpers.RunClassConstructor(typeof(ClientMetrics).TypeHandle);
        var found = new Dictionary<string, Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == "DeviceCommands.Client")
                {
                    lock (found)
                    {
                        found[instrument.Name] = instrument;
                    }
                }
            },
        };
        listener.Start();
        return found;
    }

    [Fact]
    public void Operation_durations_advise_System_Net_Http_buckets_in_seconds()
    {
        var duration = Assert.IsType<Histogram<double>>(PublishedInstruments()["devicecommands.client.operation.duration"]);

        Assert.Equal("s", duration.Unit);
        Assert.Equal([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10], duration.Advice?.HistogramBucketBoundaries);
    }

    [Fact]
    public void Wait_durations_advise_buckets_from_a_tenth_of_a_second_to_an_hour()
    {
        var duration = Assert.IsType<Histogram<double>>(PublishedInstruments()["devicecommands.client.wait.duration"]);
        var buckets = duration.Advice?.HistogramBucketBoundaries;

        Assert.NotNull(buckets);
        Assert.Equal(0.1, buckets[0]);
        Assert.Equal(3600, buckets[^1]);
        Assert.Contains(600, buckets); // the default timeout, 10 minutes, is a boundary
        Assert.Equal(buckets.Order(), buckets);
    }

    [Fact]
    public void The_meter_spans_and_user_agent_carry_one_version_without_the_commit()
    {
        var meter = PublishedInstruments()["devicecommands.client.operation.duration"].Meter;
        var informational = typeof(DeviceCommandsClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        Assert.Equal(informational.Split('+')[0], meter.Version);
        Assert.Equal(ClientDiagnostics.Version, meter.Version);
        Assert.Equal($"DeviceCommands.Client/{meter.Version}", ClientDiagnostics.UserAgent);
    }

    [Fact]
    public async Task A_request_span_and_the_sent_user_agent_carry_the_meters_version()
    {
        var meter = PublishedInstruments()["devicecommands.client.operation.duration"].Meter;
        using var capture = new SpanCapture();
        var handler = new ScriptedHandler().Always(System.Net.HttpStatusCode.OK, """{"id":"version-cmd","status":"completed"}""");
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { HttpMessageHandler = handler });

        await client.Me.Devices["version-dev"].Commands["version-cmd"].GetAsync();

        var span = Assert.Single(capture.Spans, s => (string?)s.GetTagItem("url.path") == "/beta/me/devices/version-dev/commands/version-cmd");
        Assert.Equal(meter.Version, span.Source.Version);
        Assert.Equal(PackageVersion.Value, meter.Version);
        Assert.Equal($"DeviceCommands.Client/{meter.Version}", Assert.Single(handler.Requests).UserAgent);
    }
}
