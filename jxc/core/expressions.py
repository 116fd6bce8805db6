"""Query expressions the reports share."""

from django.db.models import DecimalField, Func

EXACT = DecimalField(max_digits=38, decimal_places=10)


class Ratio(Func):
    """``numerator / denominator`` as a decimal, whatever the database.

    SQLite keeps a whole amount (226.00) as the integer 226 and would divide it as an integer
    (226 / 4 = 56); there the numerator is made a real number first. PostgreSQL divides
    numerics exactly."""

    arity = 2
    arg_joiner = " / "
    template = "(%(expressions)s)"
    output_field = EXACT

    def as_sqlite(self, compiler, connection, **extra_context):
        numerator, denominator = self.get_source_expressions()
        num_sql, num_params = compiler.compile(numerator)
        den_sql, den_params = compiler.compile(denominator)
        return f"(CAST({num_sql} AS REAL) / {den_sql})", (*num_params, *den_params)
