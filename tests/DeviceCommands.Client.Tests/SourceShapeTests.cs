using System.Text.RegularExpressions;

namespace DeviceCommands.Client.Tests;

/// <summary>
/// Every package's source stays readable at a glance: files of one job (at most 300 lines) and doc comments that say
/// what, the default and the exception in a few sentences (at most 100 words); specifications go to docs/.
/// </summary>
public partial class SourceShapeTests
{
    private const int MaxLines = 300;
    private const int MaxDocWords = 100;

    /// <summary>Kiota's parse node is one surface of ~40 members, kept whole.</summary>
    private static readonly string[] LongFilesAllowed = [Path.Combine("DeviceCommands.Client", "Serialization", "JsonElementParseNode.cs")];

    [Fact]
    public void No_source_file_is_over_300_lines()
    {
        var source = Path.Combine(RepositoryRoot.Path, "src");
        var wrong = SourceFiles(source)
            .Where(f => !LongFilesAllowed.Contains(Path.GetRelativePath(source, f)))
            .Select(f => (File: Path.GetRelativePath(source, f), Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public void No_doc_comment_is_over_100_words()
    {
        var source = Path.Combine(RepositoryRoot.Path, "src");
        var wrong = new List<string>();
        foreach (var file in SourceFiles(source))
        {
            foreach (var (line, words) in DocBlocks(File.ReadAllLines(file)).Where(b => b.Words > MaxDocWords))
            {
                wrong.Add($"{Path.GetRelativePath(source, file)}:{line}: {words} words");
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public void A_doc_block_is_counted_as_its_words_without_the_xml_tags()
    {
        string[] lines =
        [
            "/// <summary>One <see cref=\"Two\"/> three.</summary>",
            "/// <param name=\"x\">four</param>",
            "public void M(int x) { }",
            "    /// five six",
        ];

        Assert.Equal([(1, 3), (4, 2)], DocBlocks(lines)); // a cref inside a tag is not a word
    }

    /// <summary>Each run of <c>///</c> lines: its first line (1-based) and its words once the XML tags are removed.</summary>
    private static List<(int Line, int Words)> DocBlocks(string[] lines)
    {
        var blocks = new List<(int, int)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].TrimStart().StartsWith("///", StringComparison.Ordinal))
            {
                continue;
            }

            var start = i;
            var text = new List<string>();
            for (; i < lines.Length && lines[i].TrimStart().StartsWith("///", StringComparison.Ordinal); i++)
            {
                text.Add(lines[i].TrimStart()[3..]);
            }

            var words = Tag().Replace(string.Join(' ', text), " ")
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            blocks.Add((start + 1, words));
        }

        return blocks;
    }

    private static IEnumerable<string> SourceFiles(string source) =>
        Directory.GetFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();
}
