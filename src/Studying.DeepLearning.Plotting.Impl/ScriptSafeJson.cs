using System.Globalization;
using System.Reflection;
using System.Text;
using Newtonsoft.Json;

namespace Studying.DeepLearning.Plotting.Impl;

/// <summary>
/// Makes every string Plotly.NET serialises into a chart's inline <c>&lt;script&gt;</c> safe there. Plotly.NET writes
/// the figure JSON (titles, axis titles, trace names, tick and category labels — text that can come from a data
/// file, e.g. CIFAR-10's class names) raw into the script, so a string such as <c>&lt;/script&gt;&lt;script&gt;…</c>
/// ended the script and ran code when the HTML was opened. Every HTML path (notebook fragment, CDN or inline;
/// document; the page given to Chromium for PNGs) goes through <c>GenericChart.toChartHTML</c>, which serialises
/// with Plotly.NET's one <c>Globals.JSON_CONFIG</c>; <see cref="Apply"/> configures exactly that, once.
/// </summary>
/// <remarks>
/// Escaping keeps the text: <c>\u003c</c> is <c>&lt;</c> to the JSON parser, so plotly.js displays what was typed.
/// Escaped: <c>&lt; &gt; &amp; ' "</c> (an HTML parser ends a script at <c>&lt;/script</c> whatever JSON says,
/// and <c>&lt;!--</c> changes how it looks for that end), U+2028 and U+2029 (line terminators to older JavaScript),
/// and <c>[ ]</c>: Plotly.NET fills its script template by replacing <c>[LAYOUT]</c> and <c>[CONFIG]</c> in text
/// that already holds the trace JSON, so a trace named "[LAYOUT]" would have had the layout JSON pasted into it.
/// Plotly.NET is private to this load context, so changing its settings affects no one else.
/// </remarks>
internal static class ScriptSafeJson
{
    private static readonly Lazy<bool> Applied = new(Configure, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Configures Plotly.NET's serializer (idempotent, thread-safe); call before rendering.</summary>
    /// <exception cref="InvalidOperationException">This Plotly.NET no longer has the settings object (an upgrade).</exception>
    public static void Apply() => _ = Applied.Value;

    /// <summary>Writes <paramref name="value"/> as a JSON string literal safe inside an HTML script element.</summary>
    /// <param name="value">The text.</param>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ' or '<' or '>' or '&' or '\'' or '[' or ']' or '\u0085' or '\u2028' or '\u2029':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: builder.Append(c); break;
            }
        }

        return builder.Append('"').ToString();
    }

    private static bool Configure()
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        var property = (assembly.GetType("Globals") ?? assembly.GetType("Plotly.NET.Globals"))
            ?.GetProperty("JSON_CONFIG", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
        if (property?.GetValue(null) is not JsonSerializerSettings settings)
        {
            throw new InvalidOperationException(
                "Plotly.NET's Globals.JSON_CONFIG was not found: chart text cannot be escaped for HTML, so nothing is rendered.");
        }

        // Strings get the converter; property names (Plotly.NET's own, fixed) the writer's HTML escaping.
        settings.StringEscapeHandling = StringEscapeHandling.EscapeHtml;
        settings.Converters.Add(new StringConverter());
        return true;
    }

    private sealed class StringConverter : JsonConverter<string>
    {
        public override bool CanRead => false;

        public override void WriteJson(JsonWriter writer, string? value, JsonSerializer serializer)
        {
            if (value is null)
            {
                writer.WriteNull();
            }
            else
            {
                writer.WriteRawValue(Quote(value));
            }
        }

        public override string ReadJson(JsonReader reader, Type objectType, string? existingValue, bool hasExistingValue, JsonSerializer serializer) =>
            throw new NotSupportedException();
    }
}
