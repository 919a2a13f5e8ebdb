using System.Text.RegularExpressions;

namespace DeviceCommands.Emulator.Tests;

/// <summary>
/// The emulator's folders depend on one another in one direction only, and no two of its files use each other's types,
/// so each part can be read on its own: Wire (HTTP and JSON primitives) ← the root (the public model: options, devices,
/// recorded requests) ← Commands, Faults ← PostBacks ← State ← Http, Admin ← Hosting. A file depends on another when its
/// code (not its comments) names a type declared there. Internal types live in their folder's namespace
/// (<c>DeviceCommands.Emulator.Commands</c>, ...); the public types stay in <c>DeviceCommands.Emulator</c> wherever
/// their file is (<see cref="EmulatorScript"/> in Commands, <see cref="DeviceCommandsEmulator"/> in Hosting), so moving
/// a file never changes the public API.
/// </summary>
public partial class EmulatorLayeringTests
{
    private const string Root = "DeviceCommands.Emulator";

    /// <summary>Each folder, and the folders it may use.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Wire"] = [],
        ["(root)"] = ["Wire"],
        ["Commands"] = ["(root)", "Wire"],
        ["Faults"] = ["(root)", "Wire"],
        ["PostBacks"] = ["Commands", "(root)", "Wire"],
        ["State"] = ["PostBacks", "Faults", "Commands", "(root)", "Wire"],
        ["Http"] = ["State", "Faults", "Commands", "(root)", "Wire"],
        ["Admin"] = ["State", "Commands", "(root)", "Wire"],
        ["Hosting"] = ["Http", "Admin", "State", "PostBacks", "Faults", "Commands", "(root)", "Wire"],
    };

    [Fact]
    public void Every_folder_uses_only_the_folders_below_it()
    {
        List<SourceFile> files = SourceFiles();
        Assert.Equal(Allowed.Keys.Order(), files.Select(f => f.Folder).Distinct().Order());

        var wrong = new List<string>();
        foreach (SourceFile file in files)
        {
            foreach (SourceFile other in Used(file, files))
            {
                if (other.Folder != file.Folder && !Allowed[file.Folder].Contains(other.Folder))
                {
                    wrong.Add($"{file.Path} ({file.Folder}) uses {other.Path} ({other.Folder})");
                }
            }

            foreach (Match used in Namespace().Matches(file.Code))
            {
                string home = used.Groups["folder"].Value;
                if (home != file.Folder && Allowed.ContainsKey(home) && !Allowed[file.Folder].Contains(home))
                {
                    wrong.Add($"{file.Path} ({file.Folder}) uses the namespace of {home}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong.Distinct()));
    }

    [Fact]
    public void No_two_files_use_each_other()
    {
        List<SourceFile> files = SourceFiles();
        Dictionary<SourceFile, SourceFile[]> uses = files.ToDictionary(f => f, f => Used(f, files).ToArray());

        string[] cycles = [.. files
            .SelectMany(f => uses[f].Where(other => string.CompareOrdinal(f.Path, other.Path) < 0 && uses[other].Contains(f))
                .Select(other => $"{f.Path} <-> {other.Path}"))];

        Assert.True(cycles.Length == 0, string.Join(Environment.NewLine, cycles));
    }

    [Fact]
    public void Internal_types_live_in_their_folders_namespace_and_public_types_in_the_root_one()
    {
        var wrong = new List<string>();
        foreach (SourceFile file in SourceFiles())
        {
            string expected = file.Folder == "(root)" || PublicDeclaration().IsMatch(file.Code) ? Root : $"{Root}.{file.Folder}";
            if (file.Namespace != expected)
            {
                wrong.Add($"{file.Path} is in {file.Namespace}, expected {expected}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    /// <summary>The files whose types <paramref name="file"/> names; a type declared in the file itself (a partial) does not count.</summary>
    private static IEnumerable<SourceFile> Used(SourceFile file, List<SourceFile> files) =>
        files.Where(other => other != file
            && other.Types.Any(type => !file.Types.Contains(type)
                && Regex.IsMatch(file.Code, $@"(?<![\w.]){Regex.Escape(type)}\b")));

    private static List<SourceFile> SourceFiles()
    {
        string source = Path.Combine(RepositoryRoot.Path, "src", Root);
        return [.. Directory.GetFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => SourceFile.Read(source, f))];
    }

    private sealed record SourceFile(string Path, string Folder, string Namespace, string Code, string[] Types)
    {
        public static SourceFile Read(string source, string file)
        {
            string relative = System.IO.Path.GetRelativePath(source, file);
            string[] parts = relative.Split(System.IO.Path.DirectorySeparatorChar);
            string code = Comment().Replace(File.ReadAllText(file), string.Empty);
            string ns = FileNamespace().Match(code).Groups["name"].Value;
            string[] types = [.. Declaration().Matches(code).Select(m => m.Groups["name"].Value).Distinct()];
            return new SourceFile(relative, parts.Length == 1 ? "(root)" : parts[0], ns, code, types);
        }
    }

    [GeneratedRegex(@"(?://[^\n]*|/\*.*?\*/|""(?:[^""\\\n]|\\.)*"")", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"\bDeviceCommands\.Emulator\.(?<folder>\w+)")]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^namespace (?<name>[\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"^public ", RegexOptions.Multiline)]
    private static partial Regex PublicDeclaration();

    [GeneratedRegex(@"\b(?:class|struct|record|interface|enum|delegate\s+\w+)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex Declaration();
}
