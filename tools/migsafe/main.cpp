#include <migsafe/version.hpp>

#include <cstdio>

int main()
{
    std::puts("migsafe " MIGSAFE_VERSION_STRING);
    return 0;
}
