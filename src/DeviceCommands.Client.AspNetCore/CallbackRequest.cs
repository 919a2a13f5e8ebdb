using System.Buffers;
using DeviceCommands.Client.Callbacks;
using Microsoft.AspNetCore.Http;

namespace DeviceCommands.Client.AspNetCore;

/// <summary>One callback request: its body read up to 64 KiB and no further, handed to the receiver, answered with no body.</summary>
internal static class CallbackRequest
{
    public static async Task AnswerAsync(HttpContext context, CommandCallbackReceiver receiver)
    {
        var key = context.Request.RouteValues["key"] as string ?? string.Empty;
        if (context.Request.ContentLength > CommandCallbackReceiver.MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(CommandCallbackReceiver.MaxBodyBytes + 1);
        try
        {
            var length = 0;
            while (length <= CommandCallbackReceiver.MaxBodyBytes)
            {
                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(length, CommandCallbackReceiver.MaxBodyBytes + 1 - length), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            context.Response.StatusCode = length > CommandCallbackReceiver.MaxBodyBytes ? StatusCodes.Status413PayloadTooLarge
                : receiver.Receive(key, buffer.AsSpan(0, length)) switch
                {
                    CallbackReceipt.Accepted => StatusCodes.Status202Accepted,
                    CallbackReceipt.UnknownKey => StatusCodes.Status404NotFound,
                    _ => StatusCodes.Status400BadRequest,
                };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
