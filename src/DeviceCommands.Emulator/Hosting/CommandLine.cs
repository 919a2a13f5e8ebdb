namespace DeviceCommands.Emulator.Hosting;

/// <summary>What the command line has set so far: the options, the listening URLs, the devices and whether help was asked.</summary>
internal sealed class CommandLine
{
    /// <summary>Where the program listens when <c>--urls</c> is not given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public EmulatorOptions Options { get; } = new();

    public string Urls { get; set; } = DefaultUrl;

    public List<EmulatedDevice> Devices { get; } = [];

    public bool Help { get; set; }
}
