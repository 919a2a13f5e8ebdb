using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;

namespace DeviceCommands.Client.Benchmarks;

/// <summary>
/// Issue 6, part 5: packs src/DeviceCommands.Client into a temporary folder, then prints (as markdown) the size of the
/// packaged <c>DeviceCommands.Client.dll</c>, the package's declared dependencies (from its nuspec) and its whole dependency
/// closure (from the restore's <c>project.assets.json</c>) with the size of the runtime assemblies each package brings.
/// </summary>
/// <remarks>Run with <c>dotnet run -c Release --project tests/DeviceCommands.Client.Benchmarks -- size</c>.</remarks>
public static class SizeReport
{
    private const string ProjectRelative = "src/DeviceCommands.Client/DeviceCommands.Client.csproj";
    private const string DllEntry = "lib/net10.0/DeviceCommands.Client.dll";
    private const long DllTargetBytes = 200 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = FindRepositoryRoot();
        var project = Path.Combine(root, ProjectRelative);
        var output = Path.Combine(Path.GetTempPath(), "dcc-size-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Console.WriteLine($"Packing {ProjectRelative} (Release) into {output} …");
            var (exit, log) = await RunAsync("dotnet", ["pack", project, "-c", "Release", "-o", output, "--nologo"]);
            if (exit != 0)
            {
                Console.Error.WriteLine(log);
                Console.Error.WriteLine($"dotnet pack failed with exit code {exit}.");
                return exit;
            }

            var package = Directory.GetFiles(output, "DeviceCommands.Client.*.nupkg").Single(p => !p.EndsWith(".snupkg", StringComparison.Ordinal));
            Report(package, Path.Combine(Path.GetDirectoryName(project)!, "obj", "project.assets.json"));
            return 0;
        }
        finally
        {
            if (!args.Contains("--keep") && Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static void Report(string packagePath, string assetsPath)
    {
        using var package = ZipFile.OpenRead(packagePath);
        var dll = package.GetEntry(DllEntry) ?? throw new InvalidOperationException($"{DllEntry} is not in {packagePath}.");
        Console.WriteLine();
        Console.WriteLine($"## Size of {Path.GetFileName(packagePath)}");
        Console.WriteLine();
        Console.WriteLine("| what | bytes | KiB |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(Row(DllEntry, dll.Length));
        foreach (var entry in package.Entries.Where(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) && e.FullName != DllEntry))
        {
            Console.WriteLine(Row(entry.FullName, entry.Length));
        }

        Console.WriteLine(Row("the .nupkg (compressed)", new FileInfo(packagePath).Length));
        Console.WriteLine();
        Console.WriteLine(dll.Length < DllTargetBytes
            ? $"Target met: the dll is {Kib(dll.Length)} KiB, under {DllTargetBytes / 1024} KiB."
            : $"TARGET MISSED: the dll is {Kib(dll.Length)} KiB, not under {DllTargetBytes / 1024} KiB.");

        var nuspecEntry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        XDocument nuspec;
        using (var stream = nuspecEntry.Open())
        {
            nuspec = XDocument.Load(stream);
        }

        var declared = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (Id: (string?)e.Attribute("id") ?? "?", Version: (string?)e.Attribute("version") ?? "?", Group: (string?)e.Parent?.Attribute("targetFramework") ?? ""))
            .ToList();
        Console.WriteLine();
        Console.WriteLine("## Declared dependencies (nuspec)");
        Console.WriteLine();
        Console.WriteLine("| package | version range | target framework |");
        Console.WriteLine("|---|---|---|");
        foreach (var (id, version, group) in declared)
        {
            Console.WriteLine($"| {id} | {version} | {group} |");
        }

        ReportClosure(assetsPath, declared.Select(d => d.Id).ToHashSet(StringComparer.OrdinalIgnoreCase), dll.Length);
    }

    private static void ReportClosure(string assetsPath, HashSet<string> direct, long ownBytes)
    {
        using var assets = JsonDocument.Parse(File.ReadAllBytes(assetsPath));
        var rootElement = assets.RootElement;
        var packageFolder = rootElement.GetProperty("packageFolders").EnumerateObject().First().Name;
        var libraries = rootElement.GetProperty("libraries");
        var target = rootElement.GetProperty("targets").EnumerateObject().First(t => !t.Name.Contains('/', StringComparison.Ordinal));

        // Build-only packages (PrivateAssets=all, such as the ILLink tasks that IsAotCompatible brings) never reach a consumer.
        var buildOnly = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var framework in rootElement.GetProperty("project").GetProperty("frameworks").EnumerateObject())
        {
            if (!framework.Value.TryGetProperty("dependencies", out var dependencies))
            {
                continue;
            }

            foreach (var dependency in dependencies.EnumerateObject())
            {
                if (dependency.Value.TryGetProperty("suppressParent", out var suppress) && suppress.GetString() == "All")
                {
                    buildOnly.Add(dependency.Name);
                }
            }
        }

        var rows = new List<(string Id, string Version, bool Direct, int Files, long Bytes)>();
        foreach (var library in target.Value.EnumerateObject())
        {
            if (library.Value.GetProperty("type").GetString() != "package")
            {
                continue;
            }

            var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
            var (id, version) = (library.Name[..slash], library.Name[(slash + 1)..]);
            if (buildOnly.Contains(id))
            {
                continue;
            }

            var path = libraries.GetProperty(library.Name).GetProperty("path").GetString()!;
            long bytes = 0;
            var files = 0;
            if (library.Value.TryGetProperty("runtime", out var runtime))
            {
                foreach (var asset in runtime.EnumerateObject().Where(a => !a.Name.EndsWith("/_._", StringComparison.Ordinal)))
                {
                    var file = new FileInfo(Path.Combine(packageFolder, path, asset.Name));
                    bytes += file.Exists ? file.Length : 0;
                    files++;
                }
            }

            rows.Add((id, version, direct.Contains(id), files, bytes));
        }

        Console.WriteLine();
        Console.WriteLine($"## Dependency closure ({target.Name}, from the restore's project.assets.json)");
        Console.WriteLine();
        Console.WriteLine("Runtime assemblies a consumer's output gets from each package; 0 files means the shared framework provides it.");
        Console.WriteLine();
        Console.WriteLine("| package | version | direct | runtime files | KiB |");
        Console.WriteLine("|---|---|:---:|---:|---:|");
        foreach (var row in rows.OrderByDescending(r => r.Bytes).ThenBy(r => r.Id, StringComparer.OrdinalIgnoreCase))
        {
            Console.WriteLine($"| {row.Id} | {row.Version} | {(row.Direct ? "yes" : "")} | {row.Files} | {Kib(row.Bytes)} |");
        }

        var total = rows.Sum(r => r.Bytes);
        Console.WriteLine($"| **{rows.Count} packages** | | {rows.Count(r => r.Direct)} direct | {rows.Sum(r => r.Files)} | **{Kib(total)}** |");
        Console.WriteLine();
        Console.WriteLine($"DeviceCommands.Client.dll plus its closure: {Kib(total + ownBytes)} KiB of runtime assemblies.");
        if (buildOnly.Count > 0)
        {
            Console.WriteLine($"Left out as build-only (PrivateAssets=all, not in the nuspec): {string.Join(", ", buildOnly.Order(StringComparer.OrdinalIgnoreCase))}.");
        }
    }

    private static string Row(string what, long bytes) => $"| {what} | {bytes.ToString("N0", CultureInfo.InvariantCulture)} | {Kib(bytes)} |";

    private static string Kib(long bytes) => (bytes / 1024.0).ToString("N1", CultureInfo.InvariantCulture);

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, ProjectRelative)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"No folder above {Directory.GetCurrentDirectory()} holds {ProjectRelative}.");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
