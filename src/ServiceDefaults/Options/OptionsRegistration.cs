using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Analytics.ServiceDefaults.Options;

/// <summary>Binds options strictly: unknown keys are errors, data annotations and validators run at start-up.</summary>
public static class OptionsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="sectionPath"/>, rejecting keys that
    /// match no property (a typo must not silently fall back to a default), and validates it
    /// when the host starts.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string sectionPath)
        where T : class
    {
        return services.AddOptions<T>()
            .Bind(configuration.GetSection(sectionPath), o => o.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }

    /// <summary>Registers a validator that reports every problem at once, each prefixed with its config key.</summary>
    public static OptionsBuilder<T> ValidateWith<T>(this OptionsBuilder<T> builder, string sectionPath, Action<T, ValidationErrors> validate)
        where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new DelegateValidator<T>(sectionPath, validate));
        return builder;
    }

    private sealed class DelegateValidator<T>(string sectionPath, Action<T, ValidationErrors> validate) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var errors = new ValidationErrors(sectionPath);
            validate(options, errors);
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Messages);
        }
    }
}

/// <summary>Collects validation problems, each naming its full config key.</summary>
public sealed class ValidationErrors(string sectionPath)
{
    private readonly List<string> _messages = [];

    public int Count => _messages.Count;
    public IReadOnlyList<string> Messages => _messages;

    /// <summary>Adds a problem for <c>{section}:{key}</c>.</summary>
    public void Add(string key, string problem) =>
        _messages.Add(string.IsNullOrEmpty(key) ? $"{sectionPath}: {problem}" : $"{sectionPath}:{key}: {problem}");

    public void AddIf(bool condition, string key, string problem)
    {
        if (condition)
        {
            Add(key, problem);
        }
    }
}
