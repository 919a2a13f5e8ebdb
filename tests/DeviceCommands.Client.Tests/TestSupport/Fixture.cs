namespace DeviceCommands.Client.Tests.TestSupport;

/// <summary>The bodies printed in the service's reference pages, kept verbatim under Fixtures/.</summary>
internal static class Fixture
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static readonly string[] StatusBodies = ["status-null-strings.json", "status-value-wrapper.json"];
}
