# One image for the gateway and the three services; the command picks the process.
FROM python:3.11-slim
# No JIEBANG_ENV here: the platform is production unless told otherwise.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN pip install --no-cache-dir --no-deps -e . \
    && useradd --system --uid 10001 --no-create-home jiebang
# Not root: the processes need to read the code and nothing else.
USER 10001:10001
EXPOSE 8000
CMD ["python", "-m", "common.serve", "gateway"]
