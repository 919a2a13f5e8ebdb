using System.Text.Json.Serialization.Metadata;
using DeviceCommands.Client.Serialization;

namespace DeviceCommands.Client.Models;

public partial class Command
{
    /// <summary>
    /// An <c>AppService</c> command whose payload is a value of your own type, written by System.Text.Json with your
    /// source-generated metadata (trimming and AOT safe).
    /// </summary>
    /// <typeparam name="T">Your payload's type.</typeparam>
    /// <param name="appServiceName">The app service.</param>
    /// <param name="packageFamilyName">The package family name of the app that hosts it.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="typeInfo">Its metadata, e.g. <c>MyJsonContext.Default.Toast</c>.</param>
    /// <returns>The command to send.</returns>
    /// <exception cref="ArgumentException">A name is null, empty or white space.</exception>
    public static Command AppService<T>(string appServiceName, string packageFamilyName, T payload, JsonTypeInfo<T> typeInfo)
    {
        var command = AppService(appServiceName, packageFamilyName);
        command.Payload = JsonPayload.From(payload, typeInfo);
        return command;
    }

    /// <summary>The command's payload read into a value of your own type (see <see cref="JsonPayload.To{T}"/>); default when there is none.</summary>
    /// <typeparam name="T">Your type.</typeparam>
    /// <param name="typeInfo">Its source-generated metadata.</param>
    /// <returns>The value.</returns>
    /// <exception cref="System.Text.Json.JsonException">The payload does not fit the type.</exception>
    public T? GetPayload<T>(JsonTypeInfo<T> typeInfo) => JsonPayload.To(Payload, typeInfo);
}
