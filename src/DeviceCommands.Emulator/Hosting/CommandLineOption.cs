namespace DeviceCommands.Emulator.Hosting;

/// <summary>Reads one flag's value into a <see cref="CommandLine"/>; false for a bad value, with the reason when there is one.</summary>
internal delegate bool OptionSetter(string? value, CommandLine target, out string? why);

/// <summary>
/// One row of the command-line table: a flag (and its other spellings), the placeholder of its value (null for a flag
/// that takes none), the help text of the usage (lines after the first are continuations) and how it is applied.
/// </summary>
internal sealed record CommandLineOption(string Name, string? Argument, string Help, OptionSetter Apply)
{
    /// <summary>Other spellings of the flag, such as <c>-h</c>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Whether the flag reads a value (the next argument, or the text after <c>=</c>).</summary>
    public bool TakesValue => Argument is not null;

    /// <summary>Whether <paramref name="flag"/> (lowercase) spells this option.</summary>
    public bool Matches(string flag) => Name == flag || Aliases.Contains(flag);
}
