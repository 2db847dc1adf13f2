"""The routers of the review service, in the order they appear in its OpenAPI document."""

from fastapi import APIRouter

ROUTERS: list[APIRouter] = []
