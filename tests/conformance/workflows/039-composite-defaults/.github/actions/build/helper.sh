echo "helper from the action directory: same=$1"
