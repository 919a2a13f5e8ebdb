using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using Benchmarks.StockKiota;
using DeviceCommands.Client.Models;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using StockModels = global::Benchmarks.StockKiota.Models;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>
/// The first status read in a fresh process: <c>GET me/devices/{id}/commands/{id}</c> against a loopback HTTP/1.1 server
/// (<see cref="LoopbackServer"/>, the status page's null-strings body), for ours (<see cref="DeviceCommandsClient.Create"/>
/// and the public builders), the stock Kiota client over <see cref="HttpClientRequestAdapter"/> and
/// <see cref="KiotaClientFactory"/>, and raw <see cref="HttpClient"/> + System.Text.Json source generation. The parent starts
/// one fresh child process (this executable, <c>coldstart-child &lt;contender&gt; &lt;baseUrl&gt;</c>) per run and contender,
/// the order rotated each run; each child times the first line of <c>Main</c> to the first model in hand, then a second
/// read, and prints one JSON line; the parent times each whole child process.
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project tests/DeviceCommands.Client.Benchmarks -- coldstart [--runs 15] [--out path.md]</c>.
/// <c>coldstart --serve</c> only starts the loopback server and prints its base URL until Enter or Ctrl+C, for running
/// children by hand (e.g. under <c>DOTNET_JitStdOutFile=ours.txt DOTNET_JitDisasmSummary=1</c>, to list what each JITs).
/// One child alone: <c>coldstart-child ours|stock|raw &lt;baseUrl&gt; [--stages] [--assemblies]</c> (<c>--stages</c> prints
/// each stage's time, methods JITed and assemblies; <c>--assemblies</c> lists the loaded assemblies and the stage that loaded each;
/// <c>--why Polly.Core</c> prints the stack that loads that assembly).
/// </remarks>
public static class ColdStartReport
{
    private const string DeviceId = "6841b3db-6e5a-4d4d-b2d0-4a1f5d1f9b3c";
    private const string CommandId = "0158355AD4D680CC4E2994CC009EFFD7337D1335FCA6ED266";
    private const string Usage = "Usage: coldstart [--runs 15] [--out path.md] [--stages] [--assemblies] | coldstart --serve";
    private const string ChildUsage = "Usage: coldstart-child ours|stock|raw <baseUrl> [--stages] [--assemblies] [--why <assembly name>]";
    private static readonly string[] Contenders = ["ours", "stock", "raw"];

    // the marks a child takes: the first line of Main, after each stage of the first read, around the second read
    private const int MainMark = 0;
    private const int HarnessMark = 1;
    private const int SetupMark = 2;
    private const int BuildMark = 3;
    private const int FirstReadMark = 4;
    private const int SecondStartMark = 5;
    private const int SecondEndMark = 6;
    private const int MarkCount = 7;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var runs = 15;
        string? outPath = null;
        var childFlags = new List<string>();
        var serve = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--serve":
                    serve = true;
                    break;
                case "--runs" when i + 1 < args.Length:
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--out" when i + 1 < args.Length:
                    outPath = args[++i];
                    break;
                case "--stages" or "--assemblies":
                    childFlags.Add(args[i]);
                    break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'. {Usage}");
                    return 2;
            }
        }

        if (serve)
        {
            return await ServeAsync();
        }

        if (runs < 0 || (runs == 0 && childFlags.Count == 0))
        {
            Console.Error.WriteLine($"--runs must be at least 1 (0 only with --stages or --assemblies). {Usage}");
            return 2;
        }

        var debug = typeof(ColdStartReport).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true;
        if (debug)
        {
            Console.Error.WriteLine("Warning: this is a Debug build; cold-start figures mean something only with -c Release.");
        }

        await using var server = new LoopbackServer(Body.NullStrings.Utf8);
        var baseUrl = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{server.Port}/beta");
        var (file, prefix) = ChildCommand();
        Console.WriteLine($"Cold start: {runs} runs × {Contenders.Length} contenders, one fresh process each ({string.Join(' ', [file, .. prefix])} coldstart-child <contender> {baseUrl}) …");
        try
        {
            return await RunAllAsync(file, prefix, baseUrl, server, runs, outPath, childFlags, debug);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"coldstart FAILED: {e.Message}");
            return 1;
        }
    }

    /// <summary><c>--serve</c>: the loopback server alone, its base URL printed, until Enter, end of input or Ctrl+C.</summary>
    private static async Task<int> ServeAsync()
    {
        await using var server = new LoopbackServer(Body.NullStrings.Utf8);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{server.Port}/beta"));
        var enter = Task.Run(Console.ReadLine, CancellationToken.None);
        await Task.WhenAny(enter, Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Served {server.Requests} requests."));
        return 0;
    }

    private static async Task<int> RunAllAsync(string file, string[] prefix, string baseUrl, LoopbackServer server, int runs, string? outPath, List<string> childFlags, bool debug)
    {
        // one discarded round first: the OS file cache, the server's own JIT
        foreach (var contender in Contenders)
        {
            await RunChildAsync(file, prefix, contender, baseUrl, []);
        }

        var results = Contenders.ToDictionary(c => c, _ => new List<ChildRun>(runs), StringComparer.Ordinal);
        var wall = Stopwatch.StartNew();
        for (var run = 0; run < runs; run++)
        {
            // run 1 ours/stock/raw, run 2 stock/raw/ours, ...: drift hits every contender alike
            for (var k = 0; k < Contenders.Length; k++)
            {
                var contender = Contenders[(run + k) % Contenders.Length];
                results[contender].Add(await RunChildAsync(file, prefix, contender, baseUrl, []));
            }

            Console.Error.Write('.');
        }

        Console.Error.WriteLine();
        wall.Stop();

        var report = runs > 0 ? Report(results, runs, server, debug, wall.Elapsed) : "";

        // --stages / --assemblies: one more fresh child per contender, its own breakdown
        foreach (var contender in childFlags.Count > 0 ? Contenders : [])
        {
            report += Environment.NewLine + (await RunChildAsync(file, prefix, contender, baseUrl, childFlags)).Details;
        }

        Console.WriteLine(report);
        if (outPath is not null)
        {
            await File.WriteAllTextAsync(outPath, report);
            Console.WriteLine($"Written to {Path.GetFullPath(outPath)}.");
        }

        return 0;
    }

    /// <summary>The child: this fresh process's first (and second) read by one contender; one JSON line on stdout.</summary>
    /// <param name="started">The timestamp taken on the first line of <c>Main</c>.</param>
    /// <param name="args">The arguments after <c>coldstart-child</c>.</param>
    public static async Task<int> ChildAsync(long started, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var probe = new Probe(started);

        // no LINQ before the read: the child loads and JITs only what its contender needs
        var (stages, assemblies) = (false, false);
        string? why = null;
        for (var i = 2; i < args.Length; i++)
        {
            stages |= args[i] == "--stages";
            assemblies |= args[i] == "--assemblies";
            if (args[i] == "--why" && i + 1 < args.Length)
            {
                why = args[++i];
                assemblies = true;
            }
            else if (args[i] is not ("--stages" or "--assemblies"))
            {
                args = [];
                break;
            }
        }

        if (args.Length < 2)
        {
            Console.Error.WriteLine(ChildUsage);
            return 2;
        }

        var (contender, baseUrl) = (args[0], args[1]);
        var loads = assemblies ? new AssemblyLoads(why) : null;
        probe.Mark(HarnessMark);
        try
        {
            switch (contender)
            {
                case "ours":
                    await OursAsync(baseUrl, probe);
                    break;
                case "stock":
                    await StockAsync(baseUrl, probe);
                    break;
                case "raw":
                    await RawAsync(baseUrl, probe);
                    break;
                default:
                    Console.Error.WriteLine(ChildUsage);
                    return 2;
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"coldstart-child {contender}: FAILED: {e}");
            return 1;
        }

        Console.WriteLine(probe.ToJson(contender));
        if (stages)
        {
            Console.WriteLine(probe.Stages(contender));
        }

        if (loads is not null)
        {
            Console.WriteLine(loads.Report(probe));
        }

        return 0;
    }

    private static async Task OursAsync(string baseUrl, Probe probe)
    {
        var client = DeviceCommandsClient.Create(null, new DeviceCommandsClientOptions { BaseUrl = new Uri(baseUrl) });
        probe.Mark(SetupMark);
        var builder = client.Me.Devices[DeviceId].Commands[CommandId];
        probe.Mark(BuildMark);
        Check(await builder.GetAsync());
        probe.Mark(FirstReadMark);

        probe.Mark(SecondStartMark);
        Check(await client.Me.Devices[DeviceId].Commands[CommandId].GetAsync());
        probe.Mark(SecondEndMark);

        static void Check(Command? command)
        {
            if (command is not { Id: "0", Status: ActionStatus.Requesting })
            {
                throw new InvalidOperationException($"ours read id {command?.Id ?? "(none)"}, status {command?.Status?.ToString() ?? "(none)"}; the body says 0, requesting.");
            }
        }
    }

    private static async Task StockAsync(string baseUrl, Probe probe)
    {
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: KiotaClientFactory.Create()) { BaseUrl = baseUrl };
        var client = new StockKiotaClient(adapter);
        probe.Mark(SetupMark);
        var builder = client.Me.Devices[DeviceId].Commands[CommandId];
        probe.Mark(BuildMark);
        Check(await builder.GetAsync());
        probe.Mark(FirstReadMark);

        probe.Mark(SecondStartMark);
        Check(await client.Me.Devices[DeviceId].Commands[CommandId].GetAsync());
        probe.Mark(SecondEndMark);

        static void Check(StockModels.Command? command)
        {
            if (command is not { Id: "0", Status: StockModels.ActionStatus.Requesting })
            {
                throw new InvalidOperationException($"stock read id {command?.Id ?? "(none)"}, status {command?.Status?.ToString() ?? "(none)"}; the body says 0, requesting.");
            }
        }
    }

    private static async Task RawAsync(string baseUrl, Probe probe)
    {
        var http = new HttpClient();
        probe.Mark(SetupMark);
        var url = $"{baseUrl}/me/devices/{Uri.EscapeDataString(DeviceId)}/commands/{Uri.EscapeDataString(CommandId)}";
        probe.Mark(BuildMark);
        Check(await http.GetFromJsonAsync(url, FloorJsonContext.Default.FloorCommand));
        probe.Mark(FirstReadMark);

        probe.Mark(SecondStartMark);
        Check(await http.GetFromJsonAsync(
            $"{baseUrl}/me/devices/{Uri.EscapeDataString(DeviceId)}/commands/{Uri.EscapeDataString(CommandId)}",
            FloorJsonContext.Default.FloorCommand));
        probe.Mark(SecondEndMark);

        static void Check(FloorCommand? command)
        {
            if (command is not { Id: "0", Status: FloorStatus.Requesting })
            {
                throw new InvalidOperationException($"raw read id {command?.Id ?? "(none)"}, status {command?.Status?.ToString() ?? "(none)"}; the body says 0, requesting.");
            }
        }
    }

    /// <summary>How to start this executable again: its apphost, or <c>dotnet</c> with the entry assembly.</summary>
    private static (string File, string[] Prefix) ChildCommand()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        if (Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            var entry = Assembly.GetEntryAssembly()?.Location;
            return string.IsNullOrEmpty(entry)
                ? throw new InvalidOperationException("The entry assembly's path is unknown.")
                : (processPath, [entry]);
        }

        return (processPath, []);
    }

    private static async Task<ChildRun> RunChildAsync(string file, string[] prefix, string contender, string baseUrl, IEnumerable<string> flags)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in prefix.Concat(["coldstart-child", contender, baseUrl]).Concat(flags))
        {
            start.ArgumentList.Add(argument);
        }

        var wall = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        wall.Stop();
        var (output, errors) = (await stdout, await stderr);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"coldstart-child {contender} exited with {process.ExitCode}:\n{output}{errors}");
        }

        using var json = JsonDocument.Parse(line);
        var marks = json.RootElement.GetProperty("marks").EnumerateArray()
            .Select(m => new ChildMark(m[0].GetDouble(), m[1].GetInt64(), m[2].GetDouble(), m[3].GetInt32()))
            .ToArray();
        return new ChildRun(marks, wall.Elapsed.TotalMilliseconds, output[(output.IndexOf(line, StringComparison.Ordinal) + line.Length)..].Trim());
    }

    private static string Report(Dictionary<string, List<ChildRun>> results, int runs, LoopbackServer server, bool debug, TimeSpan wall)
    {
        var rows = new (string Measure, Func<ChildRun, double> Value, string Format)[]
        {
            ("**Main → first read** (model in hand), ms", r => r.Ms(MainMark, FirstReadMark), "F1"),
            ("second read (warm), ms", r => r.Ms(SecondStartMark, SecondEndMark), "F2"),
            ("**whole process** (start to exit, parent's clock), ms", r => r.ProcessMs, "F0"),
            ("stage: the harness (Main → the contender's code starts; the same code for all), ms", r => r.Ms(MainMark, HarnessMark), "F1"),
            ("stage: client ready (ours `Create`; stock adapter + `KiotaClientFactory.Create()` + client; raw `new HttpClient()`), ms", r => r.Ms(HarnessMark, SetupMark), "F1"),
            ("stage: request building (builder chain; raw: the URL string), ms", r => r.Ms(SetupMark, BuildMark), "F2"),
            ("stage: first `GetAsync` / `GetFromJsonAsync` (send + read), ms", r => r.Ms(BuildMark, FirstReadMark), "F1"),
            ("methods JITed, Main → first read", r => r.Marks[FirstReadMark].JitMethods - r.Marks[MainMark].JitMethods, "F0"),
            ("JIT time, Main → first read, ms", r => r.Marks[FirstReadMark].JitMs - r.Marks[MainMark].JitMs, "F1"),
            ("assemblies loaded at first read (at Main)", r => r.Marks[FirstReadMark].Assemblies, "F0"),
        };

        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{runs} runs per contender (after one discarded warm-up round), each a fresh process; order rotated each run (ours/stock/raw, stock/raw/ours, …). {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, {DateTime.Now:yyyy-MM-dd HH:mm}{LoadAverage()}{(debug ? ", **Debug build**" : "")}; {wall.TotalSeconds:F0} s in all."));
        var settings = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_", StringComparison.Ordinal) && k is not ("DOTNET_ROOT" or "DOTNET_HOST_PATH" or "DOTNET_CLI_TELEMETRY_OPTOUT" or "DOTNET_NOLOGO" or "DOTNET_SKIP_FIRST_TIME_EXPERIENCE"))
            .Order(StringComparer.Ordinal)
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}")
            .ToArray();
        if (settings.Length > 0)
        {
            w.WriteLine($"Runtime settings inherited by the children: {string.Join(", ", settings)}.");
        }

        w.WriteLine();
        w.WriteLine("Each cell: median [p10–p90]. Ratios are of the medians.");
        w.WriteLine();
        w.WriteLine("| measure | ours | stock | raw | ours/raw | ours/stock | stock/raw |");
        w.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (measure, value, format) in rows)
        {
            var cells = Contenders.ToDictionary(c => c, c => results[c].Select(value).Order().ToArray(), StringComparer.Ordinal);
            var medians = cells.ToDictionary(p => p.Key, p => Quantile(p.Value, 0.5), StringComparer.Ordinal);
            var row = string.Join(" | ", Contenders.Select(c => Cell(cells[c], format)));
            if (measure.StartsWith("assemblies", StringComparison.Ordinal))
            {
                // the count at Main beside the count at the first read
                row = string.Join(" | ", Contenders.Select(c =>
                    string.Create(CultureInfo.InvariantCulture, $"{Quantile(cells[c], 0.5):F0} ({Quantile([.. results[c].Select(r => (double)r.Marks[MainMark].Assemblies).Order()], 0.5):F0})")));
            }

            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {measure} | {row} | {Ratio(medians["ours"], medians["raw"])} | {Ratio(medians["ours"], medians["stock"])} | {Ratio(medians["stock"], medians["raw"])} |"));
        }

        w.WriteLine();
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The loopback server (`LoopbackServer`, HTTP/1.1 keep-alive, the null-strings body) answered {server.Requests} requests (two per child, the warm-up round included):"));
        foreach (var (requestLine, count) in server.RequestLines.OrderByDescending(p => p.Value))
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"`{requestLine}` ×{count}"));
        }

        return w.ToString();
    }

    private static string Cell(double[] sorted, string format) =>
        string.Create(CultureInfo.InvariantCulture, $"{Quantile(sorted, 0.5).ToString(format, CultureInfo.InvariantCulture)} [{Quantile(sorted, 0.1).ToString(format, CultureInfo.InvariantCulture)}–{Quantile(sorted, 0.9).ToString(format, CultureInfo.InvariantCulture)}]");

    private static string Ratio(double a, double b) => b == 0 ? "–" : (a / b).ToString("F2", CultureInfo.InvariantCulture) + "×";

    /// <summary>The <paramref name="p"/> quantile of sorted values, interpolated linearly between neighbours.</summary>
    private static double Quantile(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        return lo + 1 < sorted.Length ? sorted[lo] + ((h - lo) * (sorted[lo + 1] - sorted[lo])) : sorted[lo];
    }

    private static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $", load average {fields[0]} {fields[1]} {fields[2]} at the end";
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private readonly record struct ChildMark(double Ms, long JitMethods, double JitMs, int Assemblies);

    private sealed record ChildRun(ChildMark[] Marks, double ProcessMs, string Details)
    {
        public double Ms(int from, int to) => Marks[to].Ms - Marks[from].Ms;
    }

    /// <summary>
    /// A child's marks: the time, the methods JITed and the JIT time so far (<see cref="JitInfo"/>, all threads) and the
    /// assemblies loaded. A fixed array of a struct of this assembly's, so taking a mark JITs nothing generic.
    /// </summary>
    private sealed class Probe
    {
        private readonly long[] _timestamps = new long[MarkCount];
        private readonly long[] _jitMethods = new long[MarkCount];
        private readonly TimeSpan[] _jitTimes = new TimeSpan[MarkCount];
        private readonly int[] _assemblies = new int[MarkCount];

        public Probe(long started)
        {
            _timestamps[MainMark] = started;
            Counters(MainMark);
        }

        public long Timestamp(int mark) => _timestamps[mark];

        public void Mark(int mark)
        {
            _timestamps[mark] = Stopwatch.GetTimestamp();
            Counters(mark);
        }

        public string ToJson(string contender)
        {
            var marks = Enumerable.Range(0, MarkCount).Select(i => string.Create(CultureInfo.InvariantCulture,
                $"[{Ms(MainMark, i):F4},{_jitMethods[i]},{_jitTimes[i].TotalMilliseconds:F4},{_assemblies[i]}]"));
            return $"{{\"contender\":\"{contender}\",\"status\":\"requesting\",\"marks\":[{string.Join(',', marks)}]}}";
        }

        public string Stages(string contender)
        {
            var (setup, build, send) = contender switch
            {
                "ours" => ("`DeviceCommandsClient.Create(null, options)`", "`client.Me.Devices[id].Commands[cid]`", "first `GetAsync()`"),
                "stock" => ("`HttpClientRequestAdapter` + `KiotaClientFactory.Create()` + `new StockKiotaClient`", "`client.Me.Devices[id].Commands[cid]`", "first `GetAsync()`"),
                _ => ("`new HttpClient()`", "the URL string", "first `GetFromJsonAsync`"),
            };
            var w = new StringWriter(CultureInfo.InvariantCulture);
            w.WriteLine($"{contender}: the stages of this process's first read (JIT: System.Runtime.JitInfo, all threads; assemblies: AppDomain.GetAssemblies)");
            w.WriteLine();
            w.WriteLine("| stage | ms | methods JITed | JIT ms | assemblies after |");
            w.WriteLine("|---|---:|---:|---:|---:|");
            w.WriteLine(Row("(at the first line of Main)", MainMark, MainMark));
            w.WriteLine(Row("the harness (argument checks, this probe)", MainMark, HarnessMark));
            w.WriteLine(Row(setup, HarnessMark, SetupMark));
            w.WriteLine(Row(build, SetupMark, BuildMark));
            w.WriteLine(Row(send, BuildMark, FirstReadMark));
            w.WriteLine(Row("**Main → first read**", MainMark, FirstReadMark));
            w.WriteLine(Row("second read (the whole chain again)", SecondStartMark, SecondEndMark));
            return w.ToString();
        }

        private string Row(string stage, int from, int to) => string.Create(CultureInfo.InvariantCulture,
            $"| {stage} | {Ms(from, to):F2} | {_jitMethods[to] - _jitMethods[from]} | {(_jitTimes[to] - _jitTimes[from]).TotalMilliseconds:F1} | {_assemblies[to]} |");

        private double Ms(int from, int to) => Stopwatch.GetElapsedTime(_timestamps[from], _timestamps[to]).TotalMilliseconds;

        private void Counters(int mark)
        {
            _jitMethods[mark] = JitInfo.GetCompiledMethodCount(currentThread: false);
            _jitTimes[mark] = JitInfo.GetCompilationTime(currentThread: false);
            _assemblies[mark] = AppDomain.CurrentDomain.GetAssemblies().Length;
        }
    }

    /// <summary>For <c>--assemblies</c>: each assembly loaded from the first line of <c>Main</c> on, with its time.</summary>
    private sealed class AssemblyLoads
    {
        private readonly List<(long Timestamp, string Name)> _loads = [];
        private readonly HashSet<string> _atMain;

        /// <param name="why">An assembly's name: the stack that loads it is printed (to stderr), to find what needs it.</param>
        public AssemblyLoads(string? why)
        {
            _atMain = [.. AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? "?")];
            AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
            {
                lock (_loads)
                {
                    _loads.Add((Stopwatch.GetTimestamp(), e.LoadedAssembly.GetName().Name ?? "?"));
                }

                if (why is not null && e.LoadedAssembly.GetName().Name == why)
                {
                    Console.Error.WriteLine($"{why} loaded at:{Environment.NewLine}{Environment.StackTrace}");
                }
            };
        }

        public string Report(Probe probe)
        {
            var w = new StringWriter(CultureInfo.InvariantCulture);
            var all = AppDomain.CurrentDomain.GetAssemblies();
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{all.Length} assemblies loaded at the end ({_atMain.Count} at Main, listed by the stage that loaded them; this listing itself adds a little):"));
            w.WriteLine();
            w.WriteLine($"- at Main: {string.Join(", ", _atMain.Order(StringComparer.Ordinal))}");
            (long, string)[] loads;
            lock (_loads)
            {
                loads = [.. _loads];
            }

            var stages = new[] { ("the harness", HarnessMark), ("client ready", SetupMark), ("request building", BuildMark), ("first read", FirstReadMark), ("second read", SecondEndMark), ("after", int.MaxValue) };
            var from = long.MinValue;
            foreach (var (stage, mark) in stages)
            {
                var to = mark == int.MaxValue ? long.MaxValue : probe.Timestamp(mark);
                var names = loads.Where(l => l.Item1 > from && l.Item1 <= to).Select(l => l.Item2).ToArray();
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- {stage} (+{names.Length}): {string.Join(", ", names)}"));
                from = to;
            }

            return w.ToString();
        }
    }
}
