#include "quantile.h"

#include <math.h>

int efc__by_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

double efc__interpolate(double a, double b, double f)
{
    return isfinite(b - a) ? a + f * (b - a) : (1 - f) * a + f * b;
}

double efc__quantile_sorted(const double *v, size_t n, double q)
{
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)h;
    if (lo + 1 >= n)
        return v[n - 1];
    return efc__interpolate(v[lo], v[lo + 1], h - (double)lo);
}
