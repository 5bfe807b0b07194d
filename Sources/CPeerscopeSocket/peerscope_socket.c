#include "peerscope_socket.h"
