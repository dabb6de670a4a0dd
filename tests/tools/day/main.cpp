#define BOOST_TEST_MODULE day
#include <boost/test/unit_test.hpp>
