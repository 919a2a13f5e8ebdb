using System.Text;

namespace DeviceCommands.TestSupport;

/// <summary>
/// A <see cref="TextWriter"/> that hands each line written to it to <paramref name="writeLine"/>, such as xunit's
/// <c>ITestOutputHelper.WriteLine</c>, so a program's report lands in the test's output. Only whole lines are passed on.
/// </summary>
/// <param name="writeLine">Receives each line, without its end.</param>
public sealed class LineWriter(Action<string> writeLine) : TextWriter
{
    private readonly Action<string> _writeLine = writeLine ?? throw new ArgumentNullException(nameof(writeLine));

    /// <inheritdoc/>
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc/>
    public override void WriteLine(string? value) => _writeLine(value ?? string.Empty);

    /// <inheritdoc/>
    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }
}
