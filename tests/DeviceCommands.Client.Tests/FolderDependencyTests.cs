using System.Text.RegularExpressions;

namespace DeviceCommands.Client.Tests;

/// <summary>
/// The package's folders depend on one another in one direction only, so each can be read on its own:
/// Timing, Serialization and Http (URL templates and bounded, pooled bodies), each on nothing ← Models ← Diagnostics
/// (the names, logs and metrics) ← Callbacks, Requests and Transport (each on none of the others) ← Me ← the root
/// (the client, its options, its pipeline) ← Waiting and DependencyInjection.
/// A folder depends on another when its code (not its comments) names a type declared there.
/// </summary>
public partial class FolderDependencyTests
{
    /// <summary>Each folder, and the folders it may use.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Timing"] = [],
        ["Serialization"] = [],
        ["Http"] = [],
        ["Models"] = ["Serialization"],
        ["Diagnostics"] = ["Timing", "Models"],
        ["Requests"] = ["Diagnostics", "Http", "Timing", "Models", "Serialization"],
        ["Me"] = ["Requests", "Http", "Models", "Serialization"],
        ["Transport"] = ["Diagnostics", "Http", "Timing", "Models", "Serialization"],
        ["Callbacks"] = ["Timing", "Models", "Serialization"],
        ["(root)"] = ["Me", "Transport", "Callbacks", "Requests", "Diagnostics", "Http", "Timing", "Models", "Serialization"],
        ["Waiting"] = ["(root)", "Me", "Callbacks", "Requests", "Diagnostics", "Http", "Timing", "Models", "Serialization"],
        ["DependencyInjection"] = ["(root)", "Transport", "Callbacks", "Requests", "Http", "Timing", "Models", "Serialization"],
    };

    [Fact]
    public void Every_folder_uses_only_the_folders_below_it()
    {
        var source = Path.Combine(RepositoryRoot.Path, "src", "DeviceCommands.Client");
        var files = Directory.GetFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Folder: FolderOf(source, f), Code: WithoutComments(File.ReadAllText(f))))
            .ToList();
        Assert.Equal(Allowed.Keys.Order(), files.Select(f => f.Folder).Distinct().Order());

        var declaredIn = files
            .SelectMany(f => Declaration().Matches(f.Code).Select(m => (Type: m.Groups["name"].Value, f.Folder)))
            .GroupBy(d => d.Type)
            .ToDictionary(g => g.Key, g => g.Select(d => d.Folder).Distinct().ToArray());
        var wrong = new List<string>();
        foreach (var (folder, code) in files)
        {
            foreach (var (type, homes) in declaredIn)
            {
                foreach (var home in homes.Where(h => h != folder && !Allowed[folder].Contains(h)))
                {
                    if (Regex.IsMatch(code, $@"(?<![\w.]){Regex.Escape(type)}\b|DeviceCommands\.Client\.{Regex.Escape(home)}\.{Regex.Escape(type)}\b"))
                    {
                        wrong.Add($"{folder} uses {type} of {home}");
                    }
                }
            }
        }

        foreach (var (folder, code) in files)
        {
            foreach (Match used in Namespace().Matches(code))
            {
                var home = used.Groups["folder"].Value;
                if (home != folder && Allowed.ContainsKey(home) && !Allowed[folder].Contains(home))
                {
                    wrong.Add($"{folder} uses the namespace of {home}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong.Distinct()));
    }

    private static string FolderOf(string source, string file)
    {
        var relative = Path.GetRelativePath(source, file).Split(Path.DirectorySeparatorChar);
        return relative.Length == 1 ? "(root)" : relative[0];
    }

    private static string WithoutComments(string code) => Comment().Replace(code, string.Empty);

    [GeneratedRegex(@"(?://[^\n]*|/\*.*?\*/|""(?:[^""\\\n]|\\.)*"")", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"\bDeviceCommands\.Client\.(?<folder>\w+)")]
    private static partial Regex Namespace();

    [GeneratedRegex(@"\b(?:class|struct|record|interface|enum|delegate\s+\w+)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex Declaration();
}
