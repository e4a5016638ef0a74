using System.Reflection;
using Microsoft.FSharp.Core;

namespace Studying.DeepLearning.Plotting.Impl;

/// <summary>
/// Calls Plotly.NET's F# methods the way F# does: required arguments by position, optional ones by name, every
/// other optional argument <c>None</c>. (From C#, an F# <c>?Arg</c> is a required <see cref="FSharpOption{T}"/>
/// parameter, and Plotly.NET's chart functions have 20 to 40 of them.)
/// </summary>
internal static class FSharpCall
{
    /// <summary>Invokes a static method of <paramref name="type"/>.</summary>
    /// <param name="type">The type declaring the method.</param>
    /// <param name="name">The method name.</param>
    /// <param name="typeArguments">The generic arguments of the overload wanted.</param>
    /// <param name="required">The leading, non-optional arguments.</param>
    /// <param name="optional">Optional arguments by parameter name, each already wrapped with <see cref="Some{T}"/>.</param>
    public static T Invoke<T>(
        Type type, string name, Type[] typeArguments, object[] required, IReadOnlyDictionary<string, object> optional)
    {
        var method = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name == name && m.GetGenericArguments().Length == typeArguments.Length)
            .Select(m => Instantiate(m, typeArguments))
            .SingleOrDefault(m => m is not null && Fits(m, required, optional))
            ?? throw new MissingMethodException(type.FullName, name);

        var parameters = method.GetParameters();
        var arguments = new object?[parameters.Length];
        Array.Copy(required, arguments, required.Length);
        for (var i = required.Length; i < parameters.Length; i++)
        {
            arguments[i] = optional.GetValueOrDefault(parameters[i].Name!); // null is FSharpOption's None
        }

        return (T)method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, arguments, null)!;
    }

    /// <summary>Wraps a value as an F# <c>Some</c>.</summary>
    /// <param name="value">The value.</param>
    public static FSharpOption<TValue> Some<TValue>(TValue value) => FSharpOption<TValue>.Some(value);

    private static MethodInfo? Instantiate(MethodInfo method, Type[] typeArguments)
    {
        if (typeArguments.Length == 0)
        {
            return method;
        }

        try
        {
            return method.MakeGenericMethod(typeArguments);
        }
        catch (ArgumentException)
        {
            return null; // an overload whose generic constraints these types do not meet
        }
    }

    private static bool Fits(MethodInfo method, object[] required, IReadOnlyDictionary<string, object> optional)
    {
        var parameters = method.GetParameters();
        if (parameters.Length < required.Length)
        {
            return false;
        }

        for (var i = 0; i < required.Length; i++)
        {
            if (!parameters[i].ParameterType.IsInstanceOfType(required[i]))
            {
                return false;
            }
        }

        var optionalParameters = parameters.Skip(required.Length).ToDictionary(p => p.Name!, p => p.ParameterType);
        return optional.All(o => optionalParameters.TryGetValue(o.Key, out var t) && t.IsInstanceOfType(o.Value));
    }
}
