/* Placeholder: the engine helper replaces this file. */
#include "matcher.h"
