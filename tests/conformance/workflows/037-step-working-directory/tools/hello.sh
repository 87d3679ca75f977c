#!/bin/sh
echo "tool says hi"
