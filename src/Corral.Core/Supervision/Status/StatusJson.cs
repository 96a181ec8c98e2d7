using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Corral.Core.Model.Services;
using Corral.Core.Supervision.Services;

namespace Corral.Core.Supervision.Status;

/// <summary>
/// The one JSON form of the status, source-generated (NativeAOT: no reflection), for status.json,
/// the control API's status answers and <c>corral ctl</c>. Every field is always written, null
/// when it has no value, so a reader can tell "none" from "another version". Reading is strict:
/// a missing field, or a null where the model has none, is an error (a file from another
/// version of Corral), never a half-filled record. Unknown fields are skipped, so an older
/// reader can read a newer writer's file.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(LowercaseEnum<ServiceState>), typeof(LowercaseEnum<ServiceType>), typeof(LowercaseEnum<GoalKind>)])]
[JsonSerializable(typeof(SupervisorStatus))]
[JsonSerializable(typeof(ServiceAnswer))]
[JsonSerializable(typeof(ActionAnswer))]
public sealed partial class StatusJson : JsonSerializerContext;

/// <summary>Enum values as the field's words: "running", "oneshot".</summary>
public sealed class LowercaseEnum<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where T : struct, Enum;

/// <summary>The control API's answer about one service: <c>{"service": {...}}</c>.</summary>
public sealed record ServiceAnswer(ServiceStatus Service);

/// <summary>
/// The control API's answer to an action: what Corral said doing it, and the services it was
/// asked to act on (null for reload and shutdown, which name none).
/// </summary>
public sealed record ActionAnswer(ImmutableArray<string> Messages, ImmutableArray<ServiceStatus>? Services);
