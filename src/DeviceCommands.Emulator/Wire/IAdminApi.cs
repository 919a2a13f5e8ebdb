namespace DeviceCommands.Emulator.Wire;

/// <summary>
/// The admin API as the request pipeline sees it: where a request under <c>/_emulator</c> goes. Declared below both, so
/// the pipeline does not know the admin endpoints and they do not know the pipeline.
/// </summary>
internal interface IAdminApi
{
    /// <summary>Answers one admin request; <paramref name="path"/> is the path's segments after <c>/_emulator</c>.</summary>
    Task HandleAsync(HttpContext context, string[] path);
}
