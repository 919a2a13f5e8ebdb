using System.Text.RegularExpressions;

namespace DeviceCommands.Client.Tests;

/// <summary>A file's folder names its namespace, so a newcomer finds any type from the folder names alone.</summary>
public partial class FolderNamespaceTests
{
    /// <summary>The folders whose namespace API.md or a convention fixes otherwise, each with that namespace.</summary>
    private static readonly Dictionary<string, string> Exceptions = new()
    {
        ["Waiting"] = "DeviceCommands.Client", // API.md fixes the waiting types in the root namespace
        ["DependencyInjection"] = "Microsoft.Extensions.DependencyInjection", // the convention of AddX extensions
    };

    [Fact]
    public void Every_file_declares_the_namespace_of_its_folder()
    {
        var source = Path.Combine(RepositoryRoot.Path, "src", "DeviceCommands.Client");
        var wrong = new List<string>();
        foreach (var file in Directory.GetFiles(source, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file).Split(Path.DirectorySeparatorChar);
            if (relative[0] is "obj" or "bin")
            {
                continue;
            }

            var folders = relative[..^1];
            var expected = folders.Length > 0 && Exceptions.TryGetValue(folders[0], out var fixedName)
                ? fixedName
                : string.Join('.', new[] { "DeviceCommands", "Client" }.Concat(folders));
            var declared = FileNamespace().Match(File.ReadAllText(file)).Groups["name"].Value;
            if (declared != expected)
            {
                wrong.Add($"{string.Join('/', relative)} declares {declared}, expected {expected}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [GeneratedRegex(@"^namespace\s+(?<name>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();
}
