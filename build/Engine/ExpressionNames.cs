using System.Linq.Expressions;
using System.Reflection;

namespace Vteam.Build.Engine;

internal static class ExpressionNames
{
    public static MemberInfo Member(LambdaExpression expression)
    {
        var body = expression.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } unary)
            body = unary.Operand;
        return body is MemberExpression member
            ? member.Member
            : throw new ArgumentException($"'{expression}' must name a member, as in () => Registry.");
    }

    public static string MemberName(LambdaExpression expression) => Member(expression).Name;
}
