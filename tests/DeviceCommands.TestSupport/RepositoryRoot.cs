namespace DeviceCommands.TestSupport;

/// <summary>The repository's root folder, for tests that read its sources and docs.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Found = new(Find);

    /// <summary>The nearest folder above the test's output that holds <c>DeviceCommands.Client.sln</c>.</summary>
    /// <exception cref="InvalidOperationException">No such folder: the test runs outside the repository.</exception>
    public static string Path => Found.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "DeviceCommands.Client.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (DeviceCommands.Client.sln) was not found above the test's folder.");
    }
}
